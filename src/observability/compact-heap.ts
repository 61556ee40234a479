import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * Gives back the memory that loading the service left behind, once, when it starts listening.
 *
 * Start-up allocates far more than it keeps (module sources, compiled schemas, route tables), so
 * V8's old generation ends up with about 10 MiB of half-empty pages, and nothing shrinks it while
 * the process is idle: V8's memory reducer only runs after it has seen a low allocation rate, which
 * on an idle process takes minutes. One full collection that compacts every page (V8's
 * `--compact-on-every-full-gc`, switched on for that one collection only), then one young-generation
 * collection, moves the live objects together and releases the emptied pages: about 10 MiB less
 * RSS for a pause of some 20 to 40 ms before the first request (bench/README.md, "What the idle
 * process holds").
 *
 * `gc` is reached without `--expose-gc` on the command line: the flag set at run time applies to
 * contexts created afterwards, so a fresh context hands out its `gc` and is dropped, and the flag
 * is switched off again (the global object of the service never gets a `gc`).
 */
export function compactHeapOnce(): void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as (minor?: boolean) => void
  setFlagsFromString('--no-expose-gc')
  setFlagsFromString('--compact-on-every-full-gc')
  try {
    gc()
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc')
  }
  // A young-generation collection right after: the nursery starts empty instead of holding the
  // full collection's leftovers.
  gc(true)
}
