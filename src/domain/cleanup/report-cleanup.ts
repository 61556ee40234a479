import { IncompleteCleanupError } from '../../workflows/cleanup/incomplete.js'

/**
 * Runs a cleanup step's work and adds the events `say` makes of what it removed, also when it
 * removed only part of it (an `IncompleteCleanupError`, rethrown after the events): an operation
 * that fails says what is gone, and its error names what remains.
 */
export async function reportCleanup<Done>(
  event: (message: string) => Promise<void>,
  work: () => Promise<Done>,
  say: (done: Done) => readonly string[],
): Promise<Done> {
  let done: Done
  try {
    done = await work()
  } catch (err) {
    if (err instanceof IncompleteCleanupError) for (const line of say(err.done as Done)) await event(line)
    throw err
  }
  for (const line of say(done)) await event(line)
  return done
}
