import { describe, expect, it } from 'vitest'
import { canonicalTimeZone, scheduleExpressionProblem } from '../../src/core/schedule-expression.js'

describe('scheduleExpressionProblem', () => {
  it.each([
    'cron(0 20 * * ? *)',
    'cron(0/15 8-18 ? * MON-FRI *)',
    'cron(0 10 L * ? *)',
    'cron(0 10 15W * ? *)',
    'cron(0 10 ? JAN,JUL 6#3 2027-2030)',
    'cron(5,35 14 ? * 6L *)',
    'rate(1 minute)',
    'rate(15 minutes)',
    'rate(2 days)',
    'at(2027-01-01T00:00:00)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined()
  })

  it.each([
    ['cron(0 20 * * ?)', /6 fields/],
    ['cron(60 20 * * ? *)', /field 1 \(minutes\) at character 6: "60"/],
    ['cron(0 20 32 * ? *)', /field 3 \(day-of-month\) at character 11/],
    ['cron(0 20 ? 13 MON *)', /field 4 \(month\)/],
    ['cron(0 20 ? * FUNDAY *)', /field 5 \(day-of-week\)/],
    ['cron(0 20 ? * MON 1969)', /field 6 \(year\)/],
    ['cron(0 20 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 20 1 * 2 *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0/0 20 * * ? *)', /positive whole step/],
    ['cron(0 20 ?,1 * ? *)', /must stand alone/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(1 hours)', /"hour"/],
    ['rate(5 weeks)', /rate must be/],
    ['at(2027-13-01T00:00:00)', /not a real date/],
    ['at(2027-01-01 00:00:00)', /at must be/],
    ['every day', /is not cron/],
  ])('refuses %s', (expression, problem) => {
    expect(scheduleExpressionProblem(expression)).toMatch(problem)
  })
})

describe('canonicalTimeZone', () => {
  it('answers the IANA spelling, or undefined for an unknown zone', () => {
    expect(canonicalTimeZone('America/New_York')).toBe('America/New_York')
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris')
    expect(canonicalTimeZone('UTC')).toBe('UTC')
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined()
    expect(canonicalTimeZone('')).toBeUndefined()
  })
})
