/**
 * Scheduled tasks (EventBridge Scheduler schedules of managed task definitions): TypeBox schemas for
 * validation and the OpenAPI document. The body's codec shape is the use case's
 * (`domain/schedules/bodies.ts`), which matches keys case-insensitively.
 */
import Type from 'typebox'
import { withErrors } from './common.js'
import { TaskDefParams } from './taskdefs.js'

const routeTags = ['schedules']

export const ScheduleParams = Type.Object({
  ...TaskDefParams.properties,
  name: Type.String({ minLength: 1, description: 'schedule name: 1 to 64 of letters, digits, _ . -' }),
})

const ScheduleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'schedule name, 1 to 64 of letters, digits, _ . - (on PUT: the path name)' })),
    expression: Type.Optional(
      Type.String({
        description:
          'required: cron(minutes hours day-of-month month day-of-week year), rate(N minute(s)|hour(s)|day(s)) or at(yyyy-mm-ddThh:mm:ss)',
      }),
    ),
    timezone: Type.Optional(Type.String({ description: 'IANA time zone the expression is read in; default UTC' })),
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    count: Type.Optional(Type.Integer({ description: 'tasks per run, 1 to 10; default 1' })),
    revision: Type.Optional(Type.Integer({ description: "revision to run; default the family's latest ACTIVE one" })),
    overrides: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'an ECS task override, with the fields the run route accepts' }),
    ),
    description: Type.Optional(Type.String({ description: 'at most 512 characters' })),
  },
  {
    additionalProperties: true,
    description: 'keys match case-insensitively; every member is checked by the route (a bad one is a 400 naming it)',
    examples: [
      {
        name: 'nightly-report',
        expression: 'cron(0 3 * * ? *)',
        timezone: 'Europe/Paris',
        enabled: true,
        count: 1,
        overrides: { containerOverrides: [{ name: 'report', command: ['node', 'report.js', '--since', '1d'] }] },
        description: 'the report of the day before',
      },
    ],
  },
)

const Schedule = Type.Object(
  {
    Name: Type.String(),
    Arn: Type.Union([Type.String(), Type.Null()]),
    GroupName: Type.Union([Type.String(), Type.Null()]),
    Expression: Type.String(),
    Timezone: Type.String(),
    State: Type.String({ description: 'ENABLED or DISABLED' }),
    Enabled: Type.Boolean(),
    Description: Type.Union([Type.String(), Type.Null()]),
    Cluster: Type.Union([Type.String({ description: 'cluster ARN' }), Type.Null()]),
    TaskDefinition: Type.Union([Type.String({ description: 'the task definition revision ARN it runs' }), Type.Null()]),
    Revision: Type.Union([Type.Integer(), Type.Null()]),
    Count: Type.Integer(),
    LaunchType: Type.Union([Type.String(), Type.Null()]),
    NetworkConfiguration: Type.Union([
      Type.Object({
        Subnets: Type.Array(Type.String()),
        SecurityGroups: Type.Array(Type.String()),
        AssignPublicIp: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    Overrides: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    RoleArn: Type.Union([Type.String(), Type.Null()]),
    CreationDate: Type.Union([Type.String(), Type.Null()]),
    LastModificationDate: Type.Union([Type.String(), Type.Null()]),
    NextRuns: Type.Array(Type.String({ description: 'RFC 3339, UTC' }), {
      description: 'the next 5 run times (none for a disabled schedule or a past at())',
    }),
  },
  { additionalProperties: true },
)

export const createScheduleSchema = {
  tags: routeTags,
  summary: "Schedule runs of a task definition (EventBridge Scheduler, in the space's group, run by the cluster's scheduler role)",
  params: TaskDefParams,
  body: ScheduleBody,
  response: withErrors({ 201: Schedule }, 409, 502, 503),
}

export const listSchedulesSchema = {
  tags: routeTags,
  summary: "The space's schedules of a task definition family, with their next runs",
  params: TaskDefParams,
  response: withErrors({ 200: Type.Array(Schedule) }),
}

export const showScheduleSchema = {
  tags: routeTags,
  summary: 'A schedule of a task definition family, with its next 5 runs',
  params: ScheduleParams,
  response: withErrors({ 200: Schedule }),
}

export const updateScheduleSchema = {
  tags: routeTags,
  summary: 'Replace the definition of a schedule (without revision: the family\'s latest ACTIVE one)',
  params: ScheduleParams,
  body: ScheduleBody,
  response: withErrors({ 200: Schedule }, 502, 503),
}

export const deleteScheduleSchema = {
  tags: routeTags,
  summary: "Delete a schedule (and the space's group and the scheduler role when nothing else uses them)",
  params: ScheduleParams,
  response: withErrors({ 204: Type.Null({ description: 'deleted' }) }),
}
