import { writeSync } from 'node:fs'
import { destination, type DestinationStream, type LoggerOptions } from 'pino'

/**
 * Credentials and secret values are redacted wherever they could appear in a log line: auth headers,
 * secret strings and parameter values in logged bodies or errors.
 */
export const redactPaths = [
  'req.headers["x-auth-token"]',
  'req.headers.authorization',
  'req.headers["x-registry-auth"]',
  'headers["x-auth-token"]',
  'headers.authorization',
  'headers["x-registry-auth"]',
  'SecretString',
  '*.SecretString',
  '*.*.SecretString',
  'secretString',
  '*.secretString',
  'SecretBinary',
  '*.SecretBinary',
  'Value',
  '*.Value',
  'Secret',
  '*.Secret',
  'password',
  '*.password',
]

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
  }
}

/** How long a log line may wait for others to share its write, and how much is written at once. */
const BATCH_DELAY_MS = 50
const BATCH_BYTES = 16 * 1024

/**
 * Stdout written asynchronously and in batches. A synchronous write per log line blocks the event
 * loop on every request; an asynchronous one still costs a thread-pool round trip and a system call
 * per request (about half of a one-call read's system calls). So lines wait up to 50 ms (or until
 * 16 KiB gather) and leave in one write. None is lost: pending lines keep the process alive until
 * they are handed on, and an exit writes them synchronously.
 */
export function stdoutDestination(): DestinationStream & { flush(cb?: (err?: Error) => void): void } {
  const sink = destination({ dest: 1, sync: false })
  let pending = ''
  let timer: NodeJS.Timeout | undefined
  const handOn = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (pending === '') return
    const text = pending
    pending = ''
    sink.write(text)
  }
  process.once('exit', () => {
    if (timer) clearTimeout(timer)
    const text = pending
    pending = ''
    if (text === '') return
    // pino may already have ended the stream on this exit; then the lines go to fd 1 directly.
    try {
      sink.write(text)
    } catch {
      writeSync(1, text)
      return
    }
    try {
      sink.flushSync()
    } catch {
      // pino's own exit handler flushes it
    }
  })
  return {
    write(line: string): void {
      pending += line
      if (pending.length >= BATCH_BYTES) handOn()
      else timer ??= setTimeout(handOn, BATCH_DELAY_MS)
    },
    flush(cb?: (err?: Error) => void): void {
      handOn()
      sink.flush(cb)
    },
  }
}
