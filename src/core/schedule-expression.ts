import { InputError } from './errors.js'

/**
 * EventBridge Scheduler's three kinds of schedule expression, checked the way AWS reads them:
 * `cron(minutes hours day-of-month month day-of-week year)`, `rate(value unit)` and
 * `at(yyyy-mm-ddThh:mm:ss)`. A bad expression is a 400 that names the field and the (1-based)
 * character of the expression where it goes wrong, before any AWS call.
 */

export type ScheduleExpression =
  | { kind: 'cron'; text: string; fields: CronFields }
  | { kind: 'rate'; text: string; value: number; unit: 'minute' | 'hour' | 'day' }
  | { kind: 'at'; text: string; local: AtTime }

/** The six AWS fields, each already normalised (names as numbers, `?` kept). */
export interface CronFields {
  minutes: string
  hours: string
  dayOfMonth: string
  month: string
  dayOfWeek: string
  year: string
}

export interface AtTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** The longest expression AWS takes. */
const MAX_LENGTH = 256

/** What is wrong with an expression, and where; turned into a 400 naming the caller's field. */
class ExpressionProblem extends Error {
  constructor(
    readonly problem: string,
    readonly position: number | undefined,
  ) {
    super(problem)
  }
}

/** A 400 naming `field` (and the 1-based character `position` of the expression, when known). */
export function expressionError(problem: string, position?: number, field = 'expression'): InputError {
  const where = position === undefined ? '' : ` at position ${position}`
  return new InputError(`${field} ${problem}${where}`, {
    details: { field, ...(position === undefined ? {} : { position }) },
  })
}

/** Parses an expression given in `field` of a body: a 400 naming that field when it is not one AWS takes. */
export function parseScheduleExpression(text: unknown, field = 'expression'): ScheduleExpression {
  try {
    return parseExpression(text)
  } catch (err) {
    if (err instanceof ExpressionProblem) throw expressionError(err.problem, err.position, field)
    throw err
  }
}

function reject(problem: string, position?: number): never {
  throw new ExpressionProblem(problem, position)
}

function parseExpression(text: unknown): ScheduleExpression {
  if (typeof text !== 'string' || text === '') reject('is required')
  if (text.length > MAX_LENGTH) reject(`is longer than ${MAX_LENGTH} characters`, MAX_LENGTH + 1)
  const call = /^(cron|rate|at)\(/.exec(text)
  if (!call) reject('must be cron(...), rate(...) or at(...)', 1)
  if (!text.endsWith(')')) reject('must end with ")"', text.length)
  const open = call[0].length
  const inner = text.slice(open, -1)
  // Positions are 1-based characters of the whole expression; `offset` is where `inner` starts.
  const offset = open + 1
  switch (call[1]) {
    case 'cron':
      return { kind: 'cron', text, fields: parseCron(inner, offset) }
    case 'rate':
      return { kind: 'rate', text, ...parseRate(inner, offset) }
    default:
      return { kind: 'at', text, local: parseAt(inner, offset) }
  }
}

function parseRate(inner: string, offset: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  const match = /^([0-9]+) ([a-z]+)$/.exec(inner)
  if (!match) {
    const bad = /^[0-9]+/.exec(inner)?.[0].length ?? 0
    reject('must be rate(<value> minute|minutes|hour|hours|day|days)', offset + bad)
  }
  const [, digits = '', word = ''] = match
  const value = Number(digits)
  if (!Number.isSafeInteger(value) || value < 1 || digits.startsWith('0')) {
    reject('rate value must be a positive whole number', offset)
  }
  const unitAt = offset + digits.length + 1
  const unit = word.replace(/s$/, '')
  if (unit !== 'minute' && unit !== 'hour' && unit !== 'day') reject(`rate unit "${word}" is not minute(s), hour(s) or day(s)`, unitAt)
  // AWS's own rule: a value of 1 takes the singular unit, any other the plural.
  const plural = word.endsWith('s')
  if (value === 1 && plural) reject(`rate(1 ...) takes the singular unit "${unit}"`, unitAt)
  if (value > 1 && !plural) reject(`a rate of ${value} takes the plural unit "${unit}s"`, unitAt)
  return { value, unit }
}

function parseAt(inner: string, offset: number): AtTime {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(inner)
  if (!match) reject('must be at(yyyy-mm-ddThh:mm:ss)', offset + firstMismatch(inner, '0000-00-00T00:00:00'))
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12) reject(`month ${month} is not 01-12`, offset + 5)
  if (day < 1 || day > daysInMonth) reject(`day ${day} is not in ${String(month).padStart(2, '0')}/${year}`, offset + 8)
  if (hour > 23) reject(`hour ${hour} is not 00-23`, offset + 11)
  if (minute > 59) reject(`minute ${minute} is not 00-59`, offset + 14)
  if (second > 59) reject(`second ${second} is not 00-59`, offset + 17)
  return { year, month, day, hour, minute, second }
}

/** Index of the first character of `text` that does not fit `template` (digits as 0). */
function firstMismatch(text: string, template: string): number {
  for (let i = 0; i < template.length; i++) {
    const want = template[i] ?? ''
    const got = text[i]
    if (got === undefined) return i
    if (want === '0' ? !/\d/.test(got) : got !== want) return i
  }
  return template.length
}

// --- cron -----------------------------------------------------------------------------------------

type FieldName = keyof CronFields

interface FieldRule {
  name: FieldName
  label: string
  min: number
  max: number
  names?: readonly string[]
  /** `?` allowed (day-of-month and day-of-week, one of which must be it). */
  question?: boolean
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

const RULES: readonly FieldRule[] = [
  { name: 'minutes', label: 'minutes', min: 0, max: 59 },
  { name: 'hours', label: 'hours', min: 0, max: 23 },
  { name: 'dayOfMonth', label: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', label: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'dayOfWeek', label: 'day-of-week', min: 1, max: 7, names: DAYS, question: true },
  // AWS's own bounds for the year field.
  { name: 'year', label: 'year', min: 1970, max: 2199 },
]

function parseCron(inner: string, offset: number): CronFields {
  const fields: string[] = []
  const starts: number[] = []
  const re = /\S+/g
  for (let m = re.exec(inner); m; m = re.exec(inner)) {
    fields.push(m[0])
    starts.push(offset + m.index)
  }
  if (fields.length !== 6) {
    const at = fields.length > 6 ? (starts[6] ?? offset) : offset + inner.length
    reject(`has ${fields.length} cron fields; AWS takes 6 (minutes hours day-of-month month day-of-week year)`, at)
  }
  const out = {} as CronFields
  RULES.forEach((rule, i) => {
    out[rule.name] = parseField(rule, fields[i] ?? '', starts[i] ?? offset)
  })
  const domQ = out.dayOfMonth === '?'
  const dowQ = out.dayOfWeek === '?'
  if (domQ === dowQ) {
    reject(
      domQ ? 'cannot have ? in both day-of-month and day-of-week' : 'needs ? in exactly one of day-of-month and day-of-week',
      starts[domQ ? 4 : 2] ?? offset,
    )
  }
  return out
}

/** Checks one field and answers it with names turned into numbers. */
function parseField(rule: FieldRule, text: string, start: number): string {
  const fail = (problem: string, at: number): never => {
    reject(`${rule.label} field "${text}": ${problem}`, at)
  }
  if (text === '?') {
    if (!rule.question) fail('? is only allowed in day-of-month or day-of-week', start)
    return text
  }
  const items = text.split(',')
  let at = start
  const normalised = items.map((item) => {
    const result = parseItem(rule, item, at, fail)
    at += item.length + 1
    return result
  })
  return normalised.join(',')
}

function parseItem(rule: FieldRule, item: string, at: number, fail: (problem: string, at: number) => never): string {
  if (item === '') return fail('empty list item', at)
  if (item === '?') return fail('? must be the whole field', at)
  // Day-of-month specials: last day, last weekday, nearest weekday to a day.
  if (rule.name === 'dayOfMonth') {
    if (item === 'L' || item === 'LW') return item
    const w = /^(\d+)W$/.exec(item)
    if (w) return `${value(rule, w[1] ?? '', at, fail)}W`
  }
  if (rule.name === 'dayOfWeek') {
    // `L` alone is the last day of the week (Saturday); `<d>L` the month's last such day.
    if (item === 'L') return '7'
    const last = /^([0-9A-Z]+)L$/.exec(item)
    if (last) return `${value(rule, last[1] ?? '', at, fail)}L`
    const nth = /^([0-9A-Z]+)#(\d+)$/.exec(item)
    if (nth) {
      const day = value(rule, nth[1] ?? '', at, fail)
      const n = Number(nth[2])
      if (n < 1 || n > 5) fail(`#${nth[2]} must be #1 to #5`, at + (nth[1]?.length ?? 0) + 1)
      return `${day}#${n}`
    }
  }
  const [range = '', step, extra] = item.split('/')
  if (extra !== undefined) return fail('more than one /', at + range.length + (step?.length ?? 0) + 1)
  let base: string
  if (range === '*') base = '*'
  else {
    const [from = '', to, more] = range.split('-')
    if (more !== undefined) return fail('more than one - in a range', at + from.length + (to?.length ?? 0) + 1)
    const a = value(rule, from, at, fail)
    if (to === undefined) base = String(a)
    else {
      const b = value(rule, to, at + from.length + 1, fail)
      if (b < a) fail(`range ${from}-${to} runs backwards`, at)
      base = `${a}-${b}`
    }
  }
  if (step === undefined) return base
  const stepAt = at + range.length + 1
  if (!/^\d+$/.test(step) || Number(step) < 1) return fail(`step "${step}" must be a positive whole number`, stepAt)
  if (Number(step) > rule.max) return fail(`step ${step} is larger than ${rule.max}`, stepAt)
  return `${base}/${Number(step)}`
}

function value(rule: FieldRule, text: string, at: number, fail: (problem: string, at: number) => never): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    if (n < rule.min || n > rule.max) return fail(`${n} is not in ${rule.min}-${rule.max}`, at)
    return n
  }
  const index = rule.names?.indexOf(text.toUpperCase()) ?? -1
  if (index >= 0) return index + 1
  const allowed = rule.names ? `${rule.min}-${rule.max} or ${rule.names[0] ?? ''}-${rule.names.at(-1) ?? ''}` : `${rule.min}-${rule.max}`
  return fail(`"${text}" is not a value (${allowed}) or a supported special character`, at)
}
