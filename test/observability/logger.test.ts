import { pino, symbols } from 'pino'
import { describe, expect, it } from 'vitest'
import { loggerOptions, skipRedactionOfPlainValues } from '../../src/observability/logger.js'

/** Two loggers with the service's options, one of them with plain values skipping the redactor; lines of both. */
function loggers() {
  const lines = { redacting: [] as string[], skipping: [] as string[] }
  const options = { ...loggerOptions('info'), timestamp: false }
  const redacting = pino(options, { write: (line: string) => void lines.redacting.push(line) })
  const skipping = pino(options, { write: (line: string) => void lines.skipping.push(line) })
  skipRedactionOfPlainValues(skipping)
  return { redacting, skipping, lines }
}

const values: unknown[] = [
  '',
  'GET',
  'a "quoted" \\ back-slashed \n line',
  '\u0000\u001f\u2028 control, separators and a lone surrogate \ud800',
  'é 日本 🙂',
  'x'.repeat(300),
  0,
  -1.5,
  1e300,
  Number.NaN,
  true,
  false,
  null,
  ['Value', { Value: 'in a list' }],
  { Value: 'nested', SecretString: 'nested', other: 'kept' },
  { input: { SecretString: 'deeper', Name: 'kept' } },
]

describe('log lines with plain values skipping the redactor', () => {
  it('are the lines the redactor makes, byte for byte, for fields, messages and bindings of every kind', () => {
    const { redacting, skipping, lines } = loggers()
    for (const value of values) {
      for (const key of ['url', 'Value', 'SecretString', 'secretString', 'password', 'input']) {
        const fields = { [key]: value, statusCode: 200, ms: 1 }
        const message = typeof value === 'string' ? value : 'request completed'
        for (const logger of [redacting, skipping]) {
          logger.info(fields, message)
          logger.child({ requestId: value }).warn({ other: value }, message)
        }
      }
    }
    expect(lines.skipping).toHaveLength(values.length * 6 * 2)
    expect(lines.skipping).toEqual(lines.redacting)
  })

  it('still censors every secret path, at the top level and inside objects', () => {
    const { skipping, lines } = loggers()
    skipping.info({ SecretString: 'top-secret', input: { SecretString: 'top-secret', Value: 'top-secret' }, err: { password: 'top-secret' } }, 'call')
    expect(lines.skipping[0]).not.toContain('top-secret')
    expect(JSON.parse(lines.skipping[0]!)).toMatchObject({ SecretString: '[redacted]', input: { SecretString: '[redacted]', Value: '[redacted]' }, err: { password: '[redacted]' } })
  })

  it('is in place on a logger with the service options (so a pino upgrade that moves its internals shows here)', () => {
    const logger = pino(loggerOptions('info'), { write: () => undefined })
    const stringifiers = (logger as unknown as Record<symbol, Record<symbol, unknown>>)[symbols.stringifiersSym]!
    const before = stringifiers[symbols.wildcardFirstSym]
    expect(typeof before).toBe('function')
    skipRedactionOfPlainValues(logger)
    expect(stringifiers[symbols.wildcardFirstSym]).not.toBe(before)
  })
})
