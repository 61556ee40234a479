/** Below this length a value is only redacted where AWS quotes it, so short values do not mangle messages. */
const MIN_FREE_TEXT_LENGTH = 4

function redact(text: string, values: readonly (string | undefined)[]): string {
  let out = text
  for (const value of values) {
    if (value === undefined || value.length === 0) continue
    out =
      value.length >= MIN_FREE_TEXT_LENGTH
        ? out.replaceAll(value, '[redacted]')
        : out.replaceAll(`'${value}'`, "'[redacted]'")
  }
  return out
}

/**
 * AWS validation messages may quote the offending input (`Value 'hunter2' at 'value' failed to
 * satisfy constraint`), and error messages reach responses and logs. This strips the given values
 * from an error's message and stack, and drops its cause, which holds AWS's original message. The
 * error is changed in place (it was made for this one call), so its class is kept.
 */
export function redactValues(err: unknown, values: readonly (string | undefined)[]): unknown {
  if (!(err instanceof Error)) return err
  err.message = redact(err.message, values)
  if (err.stack !== undefined) err.stack = redact(err.stack, values)
  delete (err as { cause?: unknown }).cause
  return err
}

/** Runs an AWS call that carries secret values and redacts them from any error it throws. */
export async function withValuesRedacted<T>(call: Promise<T>, values: readonly (string | undefined)[]): Promise<T> {
  try {
    return await call
  } catch (err) {
    throw redactValues(err, values)
  }
}
