/**
 * A date as Go's `time.Time.String()` prints a UTC time, which is how the original service sent a
 * parameter's `LastModifiedDate` (`2019-10-09 15:43:44 +0000 UTC`; fractional seconds only when not
 * zero, trailing zeros trimmed). Clients parse that exact form.
 */
export function goTimeString(date: Date): string {
  const iso = date.toISOString() // 2019-10-09T15:43:44.120Z
  const day = iso.slice(0, 10)
  const time = iso.slice(11, 19)
  const fraction = iso.slice(20, 23).replace(/0+$/, '')
  return `${day} ${time}${fraction ? `.${fraction}` : ''} +0000 UTC`
}
