import type { Schedule } from '../../aws/scheduler.js'
import { revisionOfArn } from '../../aws/ecs.js'
import { TaskOverride$ } from '../../aws/sdk/ecs.js'
import { encode, type JsonValue } from '../../codec/index.js'
import { parseScheduleExpression } from '../../core/schedule-expression.js'
import { nextRuns } from '../../core/next-runs.js'

/** A schedule as every schedule route answers it (PascalCase, times in RFC 3339 UTC). */
export interface ScheduleJson {
  Name: string
  Arn: string | null
  GroupName: string | null
  Expression: string
  Timezone: string
  State: string
  Enabled: boolean
  Description: string | null
  Cluster: string | null
  TaskDefinition: string | null
  Revision: number | null
  Count: number
  LaunchType: string | null
  NetworkConfiguration: { Subnets: string[]; SecurityGroups: string[]; AssignPublicIp: string | null } | null
  Overrides: JsonValue
  RoleArn: string | null
  CreationDate: string | null
  LastModificationDate: string | null
  NextRuns: string[]
}

/** The task override a schedule's target carries as JSON text, in the answer's PascalCase. */
function overridesOf(input: string | undefined): JsonValue {
  if (input === undefined) return null
  try {
    return encode(TaskOverride$, JSON.parse(input) as unknown)
  } catch {
    return null
  }
}

const iso = (d: Date | undefined) => (d === undefined ? null : new Date(d).toISOString())

/**
 * The answer for one schedule, with its next run times from now. A disabled schedule does not run,
 * so it has none; an expression this API cannot read (made outside it) shows none either.
 */
export function scheduleJson(schedule: Schedule, now: Date): ScheduleJson {
  const ecs = schedule.Target?.EcsParameters
  const vpc = ecs?.NetworkConfiguration?.awsvpcConfiguration
  const text = schedule.ScheduleExpression ?? ''
  const timezone = schedule.ScheduleExpressionTimezone ?? 'UTC'
  const enabled = schedule.State !== 'DISABLED'
  let runs: Date[] = []
  if (enabled) {
    try {
      const rateStart = schedule.StartDate ?? schedule.LastModificationDate ?? schedule.CreationDate
      runs = nextRuns({ expression: parseScheduleExpression(text), timezone, after: now, rateStart })
    } catch {
      runs = []
    }
  }
  const arn = ecs?.TaskDefinitionArn
  return {
    Name: schedule.Name ?? '',
    Arn: schedule.Arn ?? null,
    GroupName: schedule.GroupName ?? null,
    Expression: text,
    Timezone: timezone,
    State: schedule.State ?? 'ENABLED',
    Enabled: enabled,
    Description: schedule.Description ?? null,
    Cluster: schedule.Target?.Arn ?? null,
    TaskDefinition: arn ?? null,
    Revision: arn === undefined ? null : revisionOfArn(arn),
    Count: ecs?.TaskCount ?? 1,
    LaunchType: ecs?.LaunchType ?? null,
    NetworkConfiguration: vpc
      ? { Subnets: vpc.Subnets ?? [], SecurityGroups: vpc.SecurityGroups ?? [], AssignPublicIp: vpc.AssignPublicIp ?? null }
      : null,
    // The target's input is the task override the schedule runs with (JSON text), as given.
    Overrides: overridesOf(schedule.Target?.Input),
    RoleArn: schedule.Target?.RoleArn ?? null,
    CreationDate: iso(schedule.CreationDate),
    LastModificationDate: iso(schedule.LastModificationDate),
    NextRuns: runs.map((d) => d.toISOString()),
  }
}
