import { describe, expect, it } from 'vitest'
import { InputError, NotFoundError } from '../../src/core/errors.js'
import { redactValues, withValuesRedacted } from '../../src/core/redact-value.js'

describe('redactValues', () => {
  it('removes values from the message and stack, drops the cause and keeps the class', () => {
    const err = new InputError("Value 'hunter22' at 'value' failed", { cause: new Error("Value 'hunter22'") })
    const out = redactValues(err, ['hunter22', undefined]) as InputError
    expect(out).toBeInstanceOf(InputError)
    expect(out.message).toBe("Value '[redacted]' at 'value' failed")
    expect(out.stack).not.toContain('hunter22')
    expect(out.cause).toBeUndefined()
  })

  it('redacts short values only where quoted, so messages stay readable', () => {
    const out = redactValues(new InputError("Value 'ab' at 'value' is about abc"), ['ab']) as Error
    expect(out.message).toBe("Value '[redacted]' at 'value' is about abc")
  })

  it('passes results through and rethrows redacted errors', async () => {
    await expect(withValuesRedacted(Promise.resolve(1), ['x'])).resolves.toBe(1)
    await expect(withValuesRedacted(Promise.reject(new NotFoundError('no s3cr3t-value')), ['s3cr3t-value'])).rejects.toThrow(
      'no [redacted]',
    )
  })
})
