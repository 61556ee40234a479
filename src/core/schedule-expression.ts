/**
 * A syntactic check of the schedule expressions AWS accepts for scheduled actions: `cron(...)` with
 * its six fields, `rate(<n> <unit>)` and `at(yyyy-mm-ddThh:mm:ss)`. It catches what a client gets
 * wrong (a field out of range, five fields, both day fields given) before anything is written, with
 * where the problem is; AWS still has the last word on what it accepts.
 */

interface CronField {
  name: string
  min: number
  max: number
  /** Names AWS accepts for values (JAN..DEC, SUN..SAT), in order from `min`. */
  names?: readonly string[]
  /** Special forms besides numbers, ranges, lists and steps. */
  special: RegExp | undefined
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: undefined },
  { name: 'hours', min: 0, max: 23, special: undefined },
  // L (last day), LW (last weekday), <n>W (weekday nearest the n-th).
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: undefined },
  // L (last day of the week), <d>L (last <d> of the month), <d>#<k> (k-th <d> of the month).
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/i },
  { name: 'year', min: 1970, max: 2199, special: undefined },
]

function valueOf(field: CronField, text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    return n >= field.min && n <= field.max ? n : undefined
  }
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1
  return i >= 0 ? field.min + i : undefined
}

function invalidValue(field: CronField, text: string): string {
  const names = field.names ? ` or ${field.names[0] ?? ''}-${field.names.at(-1) ?? ''}` : ''
  return `"${text}" is not valid for ${field.name} (${field.min}-${field.max}${names})`
}

/** The problem with one comma-separated item of a cron field, or undefined when it is well formed. */
function itemProblem(field: CronField, item: string): string | undefined {
  if (field.special?.test(item)) return undefined
  const [base = '', step, ...more] = item.split('/')
  if (more.length > 0) return `"${item}" has more than one "/"`
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `"${item}" needs a positive whole step after "/"`
  if (base === '*') return undefined
  const [from = '', to, ...rest] = base.split('-')
  if (rest.length > 0) return `"${item}" is not a value or a range`
  const start = valueOf(field, from)
  if (start === undefined) return invalidValue(field, from)
  if (to === undefined) return undefined
  return valueOf(field, to) === undefined ? invalidValue(field, to) : undefined
}

function cronProblem(body: string, offset: number): string | undefined {
  const fields: { text: string; at: number }[] = []
  for (const m of body.matchAll(/\S+/g)) fields.push({ text: m[0], at: offset + m.index + 1 })
  if (fields.length !== CRON_FIELDS.length) {
    return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`
  }
  for (const [i, spec] of CRON_FIELDS.entries()) {
    const { text, at } = fields[i] ?? { text: '', at: 0 }
    const where = `field ${i + 1} (${spec.name}) at character ${at}`
    const items = text.split(',')
    if (items.includes('?') && items.length > 1) return `${where}: "?" must stand alone`
    for (const item of items) {
      const problem = item === '' ? 'has an empty list item' : itemProblem(spec, item)
      if (problem) return `${where}: ${problem}`
    }
  }
  // AWS: one of the day fields must be "?" (a value in one means "any" in the other).
  const dom = fields[2]?.text ?? ''
  const dow = fields[4]?.text ?? ''
  if ((dom === '?') === (dow === '?')) {
    return `field ${dom === '?' ? 5 : 3} (${dom === '?' ? 'day-of-week' : 'day-of-month'}) at character ${(dom === '?' ? fields[4] : fields[2])?.at ?? 0}: exactly one of day-of-month and day-of-week must be "?"`
  }
  return undefined
}

function rateProblem(body: string): string | undefined {
  const m = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body)
  if (!m) return 'rate must be "rate(<n> <minute(s)|hour(s)|day(s)>)"'
  const n = Number(m[1])
  const unit = m[2] ?? ''
  if (n < 1) return 'rate needs a value of at least 1'
  // AWS wants the singular unit for 1 and the plural otherwise.
  if ((n === 1) !== !unit.endsWith('s')) return `rate ${n} needs the unit "${n === 1 ? unit.replace(/s$/, '') : `${unit}s`}"`
  return undefined
}

function atProblem(body: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body)
  if (!m) return 'at must be "at(yyyy-mm-ddThh:mm:ss)"'
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  const same =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s
  return same ? undefined : `at(${body}) is not a real date and time`
}

/**
 * The problem with a scheduled action's `cron(...)`, `rate(...)` or `at(...)` expression (naming the
 * field and its character position for cron), or undefined when it is well formed.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const m = /^(cron|rate|at)\((.*)\)$/s.exec(expression)
  if (!m) return `"${expression}" is not cron(...), rate(...) or at(...)`
  const kind = m[1] ?? ''
  const body = m[2] ?? ''
  if (kind === 'cron') return cronProblem(body, kind.length + 1)
  if (kind === 'rate') return rateProblem(body)
  return atProblem(body)
}

/**
 * The IANA name of a time zone as the runtime spells it (`america/new_york` becomes
 * `America/New_York`), or undefined for a zone it does not know.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (zone.trim() === '') return undefined
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}
