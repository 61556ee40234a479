/**
 * Reading what a child process reports about itself: the servers the tests start bind port 0 and
 * print the port the OS gave them, so no port is chosen by the test and released before the child
 * binds it (another process could take it in between).
 *
 * No test-framework imports here (see ./moto.ts).
 */
import type { ChildProcess } from 'node:child_process'

const KEEP_CHARS = 64 * 1024

/** The API server's (Fastify's) log line once it is bound; with port 0 it names the port the OS gave. */
export const API_LISTENING = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/

/**
 * Resolves with the first match of `pattern` in the child's stdout or stderr (each read as one
 * text, so a match may span chunks). Rejects when the child exits first, or after `timeoutMs`.
 * Call it right after spawn(), before any output can have been missed.
 */
export function matchOutput(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs = 30_000,
): Promise<RegExpExecArray> {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    const seen = { stdout: '', stderr: '' }
    const listeners: [NodeJS.ReadableStream, (chunk: Buffer) => void][] = []
    const cleanup = (): void => {
      clearTimeout(timer)
      for (const [stream, listener] of listeners) stream.removeListener('data', listener)
      child.removeListener('exit', onExit)
    }
    const tail = (): string => `${seen.stdout}\n${seen.stderr}`.slice(-4096)
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = child[name]
      if (!stream) continue
      const listener = (chunk: Buffer): void => {
        seen[name] = (seen[name] + chunk.toString('utf8')).slice(-KEEP_CHARS)
        const match = pattern.exec(seen[name])
        if (match) {
          cleanup()
          resolve(match)
        }
      }
      stream.on('data', listener)
      listeners.push([stream, listener])
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup()
      reject(new Error(`${what}: the process exited (${signal ?? `code ${String(code)}`}) first. Output tail:\n${tail()}`))
    }
    child.once('exit', onExit)
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`${what}: not seen after ${timeoutMs} ms. Output tail:\n${tail()}`))
    }, timeoutMs)
    // The timer stays referenced: it keeps the process alive while waiting, even for a child
    // whose pipes are unref()ed, and is cleared as soon as the wait ends.
  })
}
