import { decode } from '../../codec/index.js'
import { InputError } from '../../core/errors.js'
import { checkTimezone } from '../../core/next-runs.js'
import { parseScheduleExpression } from '../../core/schedule-expression.js'
import {
  TARGET_KEYS,
  type AutoscalingSetting,
  type ScalingScheduleSetting,
  type TargetKey,
} from '../../workflows/resources/autoscaling-setting.js'
import { AutoscalingBody } from './bodies.js'

/**
 * A service's autoscaling setting as the API speaks it: a PUT body checked field by field, and the
 * answer form. Its model and AWS definitions are the workflow's (`autoscaling-setting.ts`).
 */

const SCHEDULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/
/** The longest cooldown accepted, in seconds (one day). */
const MAX_COOLDOWN = 86_400
/** The highest request count per target accepted. */
const MAX_REQUESTS_PER_TARGET = 1_000_000

function fieldError(path: string, problem: string): InputError {
  return new InputError(`${path} ${problem}`, { details: { path, field: path } })
}

function count(path: string, value: number | undefined, ceiling: number): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 0) throw fieldError(path, `must be a whole number of at least 0, got ${value}`)
  if (value > ceiling) throw fieldError(path, `must be at most ${ceiling} (the configured ceiling), got ${value}`)
  return value
}

function required<T>(path: string, value: T | undefined): T {
  if (value === undefined) throw fieldError(path, 'is required')
  return value
}

function range(minPath: string, maxPath: string, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw fieldError(minPath, `(${min}) must not be greater than ${maxPath} (${max})`)
  }
}

function targetValue(key: TargetKey, value: number): number {
  const path = `targets.${key}`
  if (key === 'requestsPerTarget') {
    if (value < 1 || value > MAX_REQUESTS_PER_TARGET) throw fieldError(path, `must be from 1 to ${MAX_REQUESTS_PER_TARGET}, got ${value}`)
  } else if (value < 1 || value > 100) {
    throw fieldError(path, `must be a percentage from 1 to 100, got ${value}`)
  }
  return value
}

function cooldown(path: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_COOLDOWN)) {
    throw fieldError(path, `must be a whole number of seconds from 0 to ${MAX_COOLDOWN}, got ${value}`)
  }
  return value
}

/**
 * Decodes and checks a PUT body (no AWS call): counts, the ceiling, targets, cooldowns and each
 * schedule's name, expression, time zone and range. Every problem is a 400 naming the field.
 */
export function parseAutoscalingBody(body: unknown, ceiling: number): AutoscalingSetting {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw fieldError('body', 'must be a JSON object')
  const { value, unknownKeys } = decode(AutoscalingBody, body)
  // Unknown keys are ignored elsewhere in a body, but an unknown metric would silently not scale.
  const unknownTarget = unknownKeys.find((path) => /^targets(\.|\[)/i.test(path))
  if (unknownTarget !== undefined) throw fieldError(unknownTarget, `is not a known target (known: ${TARGET_KEYS.join(', ')})`)

  const min = required('min', count('min', value.min, ceiling))
  const max = required('max', count('max', value.max, ceiling))
  range('min', 'max', min, max)

  const targets: Partial<Record<TargetKey, number>> = {}
  for (const key of TARGET_KEYS) {
    const given = value.targets?.[key]
    if (given !== undefined) targets[key] = targetValue(key, given)
  }

  const seen = new Set<string>()
  const schedules = (value.schedules ?? []).map((s, i): ScalingScheduleSetting => {
    const at = `schedules[${i}]`
    const name = required(`${at}.name`, s?.name)
    if (!SCHEDULE_NAME.test(name)) throw fieldError(`${at}.name`, `must be 1 to 64 letters, digits, ".", "_" or "-", got "${name}"`)
    if (seen.has(name)) throw fieldError(`${at}.name`, `"${name}" is given twice`)
    seen.add(name)
    const cron = required(`${at}.cron`, s?.cron)
    parseScheduleExpression(cron, `${at}.cron`)
    const timezone = s?.timezone === undefined ? undefined : checkTimezone(s.timezone, `${at}.timezone`)
    const sMin = count(`${at}.min`, s?.min, ceiling)
    const sMax = count(`${at}.max`, s?.max, ceiling)
    if (sMin === undefined && sMax === undefined) throw fieldError(at, 'needs min, max or both')
    range(`${at}.min`, `${at}.max`, sMin, sMax)
    return { name, cron, ...(timezone ? { timezone } : {}), ...(sMin !== undefined ? { min: sMin } : {}), ...(sMax !== undefined ? { max: sMax } : {}) }
  })

  return {
    min,
    max,
    targets,
    ...(value.scaleInCooldown !== undefined ? { scaleInCooldown: cooldown('scaleInCooldown', value.scaleInCooldown) } : {}),
    ...(value.scaleOutCooldown !== undefined ? { scaleOutCooldown: cooldown('scaleOutCooldown', value.scaleOutCooldown) } : {}),
    schedules,
  }
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** The setting's answer form (PascalCase keys, absent values left out). */
export function settingJson(setting: AutoscalingSetting, resourceId: string): { [key: string]: Json } {
  const targets: { [key: string]: Json } = {}
  if (setting.targets.cpu !== undefined) targets.Cpu = setting.targets.cpu
  if (setting.targets.memory !== undefined) targets.Memory = setting.targets.memory
  if (setting.targets.requestsPerTarget !== undefined) targets.RequestsPerTarget = setting.targets.requestsPerTarget
  return {
    ResourceId: resourceId,
    Min: setting.min,
    Max: setting.max,
    Targets: targets,
    ...(setting.scaleInCooldown !== undefined ? { ScaleInCooldown: setting.scaleInCooldown } : {}),
    ...(setting.scaleOutCooldown !== undefined ? { ScaleOutCooldown: setting.scaleOutCooldown } : {}),
    // By name, so that a PUT's answer and a later GET list them alike.
    Schedules: [...setting.schedules].sort((a, b) => a.name.localeCompare(b.name)).map((s) => ({
      Name: s.name,
      Cron: s.cron,
      ...(s.timezone ? { Timezone: s.timezone } : {}),
      ...(s.min !== undefined ? { Min: s.min } : {}),
      ...(s.max !== undefined ? { Max: s.max } : {}),
    })),
  }
}
