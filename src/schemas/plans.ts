/**
 * Dry runs and preflight checks: the `dryRun` and `verify` query parameters of the service and
 * task-definition create and update routes, the plan and check shapes, and the verify route.
 */
import Type, { type TObject, type TSchema } from 'typebox'
import { withErrors } from './common.js'
import { QueryBool } from './services.js'

export const CheckSchema = Type.Object(
  {
    Check: Type.String({ description: 'image, secret, repository-credentials, log-group, network, load-balancer or task-size' }),
    Status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('skipped')]),
    Resource: Type.String({ description: 'what was checked: an image reference, ARN, subnet id...' }),
    Field: Type.String({ description: 'the request field it comes from, e.g. taskDefinition.containerDefinitions[0].image' }),
    Reason: Type.Optional(Type.String({ description: 'why it failed or was skipped; for a pass, what was found' })),
  },
  { $id: 'PreflightCheck', description: 'one preflight check' },
)

const ObjectChangeSchema = Type.Object(
  {
    Patch: Type.Array(Type.Object({ op: Type.String(), path: Type.String() }, { additionalProperties: true }), {
      description: 'RFC 6902 JSON Patch from the live object to the one that would be sent (wire form, PascalCase paths)',
    }),
    Diff: Type.String({ description: 'unified diff of the same (empty when nothing changes)' }),
  },
  { description: 'ECS server-side defaults, read-only members and empty lists are left out of both sides' },
)

export const PlanSchema = Type.Object(
  {
    Changed: Type.Boolean({ description: 'whether any step would create or update something' }),
    Steps: Type.Array(
      Type.Object({
        Step: Type.String({ description: 'workflow step id, e.g. ensure-cluster, register-task-definition, update-ecs-service' }),
        Action: Type.Union([Type.Literal('create'), Type.Literal('reuse'), Type.Literal('update'), Type.Literal('skip')]),
        Resource: Type.String(),
        Detail: Type.Optional(Type.String()),
      }),
    ),
    Changes: Type.Object({ TaskDefinition: Type.Optional(ObjectChangeSchema), Service: Type.Optional(ObjectChangeSchema) }),
    Checks: Type.Optional(Type.Array(Type.Ref('PreflightCheck'), { description: 'with verify=true' })),
  },
  { $id: 'Plan', description: 'what the call would do (dryRun=true); nothing was written' },
)

/** The query parameters every planned route takes. */
export const PlanQuery = Type.Object({
  dryRun: Type.Optional({ ...QueryBool, description: 'true: answer the plan (200) and write nothing' }),
  verify: Type.Optional({
    ...QueryBool,
    description: 'true: run the preflight checks; with dryRun they are added to the plan, without it a failed check refuses the call (422) before any write',
  }),
})

interface RouteSchema {
  summary: string
  response: Record<number, TSchema>
  description?: string
  querystring?: TObject
}

function headersOf(answer: TSchema): { headers?: unknown } {
  const headers = (answer as { headers?: unknown }).headers
  return headers === undefined ? {} : { headers }
}

/** A create or update route's schema with `dryRun`/`verify`: the plan is another 200 answer, a failed check a 422. */
export function withPlan<S extends RouteSchema>(schema: S): S & { querystring: typeof PlanQuery } {
  const answer = schema.response[200]
  return {
    ...schema,
    description: `${schema.description ? `${schema.description} ` : ''}With dryRun=true the answer is a Plan and nothing is written; with verify=true the preflight checks run (see Plan and verify in the README).`,
    // The route's own query parameters (such as a deployment's wait) stay beside dryRun and verify.
    querystring: schema.querystring ? (Type.Object({ ...schema.querystring.properties, ...PlanQuery.properties }) as typeof PlanQuery) : PlanQuery,
    // The answer's documented headers stay on the 200 (the document reads them from its top level).
    response: { ...schema.response, 200: answer ? Type.Union([Type.Ref('Plan'), answer], headersOf(answer)) : Type.Ref('Plan'), 422: Type.Ref('Problem') },
  }
}

const ServiceParams = Type.Object({
  account: Type.String({ description: 'a configured account name' }),
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
  service: Type.String({ minLength: 1, description: 'service name or ARN' }),
})

export const verifyServiceSchema = {
  tags: ['services'],
  summary: 'Run the preflight checks on what a service runs now',
  description:
    'Images, secrets and repository credentials (existence, org, execution role policy), log groups, subnets and ' +
    'security groups, load balancer target groups and the Fargate size, checked concurrently. Always 200: Passed ' +
    'says whether any check failed.',
  params: ServiceParams,
  response: withErrors({
    200: Type.Object({ Passed: Type.Boolean(), Checks: Type.Array(Type.Ref('PreflightCheck')) }),
  }, 502, 503),
}
