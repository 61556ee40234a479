/**
 * Autoscaling routes of a service: TypeBox schemas for validation and the OpenAPI document. The
 * body's codec shape is the use case's (`domain/autoscaling/bodies.ts`): keys match
 * case-insensitively, so the properties below are documented in camelCase and none is required here;
 * the use case answers a 400 naming any field that is missing or wrong.
 */
import Type from 'typebox'
import { AccountParams, withErrors } from './common.js'

const routeTags = ['autoscaling']

const ServiceParams = Type.Object({
  account: AccountParams.properties.account,
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
  service: Type.String({ minLength: 1, description: 'service name or ARN' }),
})

export const autoscalingExample = {
  min: 1,
  max: 10,
  targets: { cpu: 60, memory: 75, requestsPerTarget: 500 },
  scaleInCooldown: 300,
  scaleOutCooldown: 60,
  schedules: [{ name: 'nights', cron: 'cron(0 20 * * ? *)', timezone: 'America/New_York', min: 0, max: 1 }],
}

// Types only: ranges, whole numbers and the ceiling are checked by the use case, which names the field
// the same way whatever the key's spelling.
const Count = (description: string) => Type.Number({ description: `a whole number of at least 0: ${description}` })

const AutoscalingBodySchema = Type.Object(
  {
    min: Type.Optional(Count('required: the fewest tasks')),
    max: Type.Optional(Count('required: the most tasks, at most the configured ceiling (autoscaling.maxCapacity, default 100)')),
    targets: Type.Optional(
      Type.Object(
        {
          cpu: Type.Optional(Type.Number({ description: 'average CPU utilization to keep, percent (1-100)' })),
          memory: Type.Optional(Type.Number({ description: 'average memory utilization to keep, percent (1-100)' })),
          requestsPerTarget: Type.Optional(
            Type.Number({ description: "ALB requests per task to keep; the service must be behind a target group of the space" }),
          ),
        },
        { additionalProperties: true, description: 'one target-tracking policy per metric given; any other key is a 400' },
      ),
    ),
    scaleInCooldown: Type.Optional(Type.Number({ description: 'whole seconds (0-86400), for every policy' })),
    scaleOutCooldown: Type.Optional(Type.Number({ description: 'whole seconds (0-86400), for every policy' })),
    schedules: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.Optional(Type.String({ description: '[0-9A-Za-z_.-]{1,64}' })),
            cron: Type.Optional(Type.String({ description: 'cron(m h dom mon dow year), rate(n unit) or at(yyyy-mm-ddThh:mm:ss)' })),
            timezone: Type.Optional(Type.String({ description: 'IANA time zone, e.g. Europe/Paris (default UTC)' })),
            min: Type.Optional(Count('the fewest tasks from that time on')),
            max: Type.Optional(Count('the most tasks from that time on')),
          },
          { additionalProperties: true },
        ),
      ),
    ),
  },
  { additionalProperties: true, description: 'keys match case-insensitively', examples: [autoscalingExample] },
)

const Setting = {
  ResourceId: Type.String({ description: 'service/<cluster>/<service>' }),
  Min: Type.Integer(),
  Max: Type.Integer(),
  Targets: Type.Object({
    Cpu: Type.Optional(Type.Number()),
    Memory: Type.Optional(Type.Number()),
    RequestsPerTarget: Type.Optional(Type.Number()),
  }),
  ScaleInCooldown: Type.Optional(Type.Integer()),
  ScaleOutCooldown: Type.Optional(Type.Integer()),
  Schedules: Type.Array(
    Type.Object({
      Name: Type.String(),
      Cron: Type.String(),
      Timezone: Type.Optional(Type.String()),
      Min: Type.Optional(Type.Integer()),
      Max: Type.Optional(Type.Integer()),
    }),
  ),
}

const SettingSchema = Type.Object(Setting, { additionalProperties: true })

export const putAutoscalingSchema = {
  tags: routeTags,
  summary: "Set a service's autoscaling: count range, target tracking (CPU, memory, ALB requests) and scheduled ranges",
  params: ServiceParams,
  body: AutoscalingBodySchema,
  response: withErrors({ 200: SettingSchema }, 409, 429, 502, 503),
}

export const showAutoscalingSchema = {
  tags: routeTags,
  summary: "A service's autoscaling setting and its recent scaling activities; 404 when it has none",
  params: ServiceParams,
  response: withErrors({
    200: Type.Object(
      {
        ...Setting,
        ScalingActivities: Type.Array(Type.Object({}, { additionalProperties: true }), {
          description: 'newest first, as DescribeScalingActivities answers; empty where the account does not offer it',
        }),
      },
      { additionalProperties: true },
    ),
  }),
}

export const deleteAutoscalingSchema = {
  tags: routeTags,
  summary: "Remove a service's autoscaling (policies, scheduled actions, scalable target); the service keeps its count",
  params: ServiceParams,
  response: withErrors({ 200: SettingSchema }, 409, 429, 502, 503),
}
