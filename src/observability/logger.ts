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

/**
 * Stdout written asynchronously: a synchronous write per log line blocks the event loop on every
 * request. pino flushes what is buffered when the process exits.
 */
export function stdoutDestination(): DestinationStream {
  return destination({ dest: 1, sync: false })
}
