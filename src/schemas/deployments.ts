/**
 * Deployments: the history of a service's changes with their outcomes, one deployment with its
 * timeline (also as server-sent events), rollback and abort; plus the headers the service create
 * and update answers gain.
 */
import Type, { type Static, type TSchema } from 'typebox'
import { AccountParams, withErrors } from './common.js'

const routeTags = ['deployments']
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

const ServiceParams = Type.Object({
  account: AccountParams.properties.account,
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
  service: Type.String({ minLength: 1, description: 'service name or ARN' }),
})
const DeploymentParams = Type.Object({
  ...ServiceParams.properties,
  id: Type.String({ minLength: 1, description: 'deployment id (X-Deployment-Id)' }),
})

export const OutcomeSchema = Type.Union(
  ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'ABORTED'].map((o) => Type.Literal(o)),
  { description: 'ROLLED_BACK (the circuit breaker or an alarm went back) is a failure, never a success' },
)

const Counts = {
  DesiredCount: Type.Integer(),
  RunningCount: Type.Integer(),
  PendingCount: Type.Integer(),
  FailedCount: Type.Integer({ description: 'tasks of this deployment that failed to start or stopped' }),
}

const TimelineEntrySchema = Type.Object(
  {
    Seq: Type.Integer({ description: 'order in the timeline; the event id of the stream' }),
    At: Timestamp,
    Type: Type.Union([Type.Literal('deployment'), Type.Literal('service-event'), Type.Literal('task-stopped')]),
    Outcome: Type.Optional(OutcomeSchema),
    RolloutState: Type.Optional(Type.String()),
    Reason: Type.Optional(Type.String()),
    DesiredCount: Type.Optional(Type.Integer()),
    RunningCount: Type.Optional(Type.Integer()),
    PendingCount: Type.Optional(Type.Integer()),
    FailedCount: Type.Optional(Type.Integer()),
    EventId: Type.Optional(Type.String()),
    Message: Type.Optional(Type.String()),
    Task: Type.Optional(
      Type.Object({
        TaskArn: Type.String(),
        StopCode: Type.Optional(Type.String()),
        StoppedReason: Type.Optional(Type.String()),
        StoppedAt: Type.Optional(Timestamp),
        Containers: Type.Array(
          Type.Object({
            Name: Type.String(),
            ExitCode: Type.Optional(Type.Integer()),
            Reason: Type.Optional(Type.String()),
            Image: Type.Optional(Type.String()),
            ImageDigest: Type.Optional(Type.String()),
          }),
        ),
      }),
    ),
  },
  { description: 'a state change, a service event or a stopped task of the deployment' },
)

export const DeploymentSchema = Type.Object(
  {
    Id: Type.String(),
    Kind: Type.Union(['create', 'update', 'rollback', 'abort', 'external'].map((k) => Type.Literal(k)), {
      description: 'external: a deployment ECS lists that this API did not make (listed, not tracked; its Id is ECS\'s ARN)',
    }),
    Outcome: OutcomeSchema,
    Reason: Nullable(Type.String()),
    Cluster: Type.String(),
    ServiceName: Type.String(),
    TaskDefinition: Type.Optional(Type.String({ description: 'the revision it rolls out (ARN); absent for an external one ECS did not describe' })),
    Revision: Type.Optional(Type.Integer()),
    Images: Type.Array(Type.Object({ Container: Type.String(), Image: Type.String() })),
    ImageDigests: Type.Array(
      Type.Object({ Container: Type.String(), Image: Type.String(), Digest: Type.String() }),
      { description: 'what the running tasks report, once it succeeded' },
    ),
    ImageDrift: Type.Optional(
      Type.Array(
        Type.Object({ Container: Type.String(), Image: Type.String(), RunningDigest: Type.String(), TagDigest: Type.String() }),
        { description: "containers whose image tag now points at another digest than the one running" },
      ),
    ),
    RolloutState: Type.Optional(Type.String()),
    EcsStatus: Type.Optional(Type.String({ description: "an external one's status as ECS gives it (SUCCESSFUL, ROLLBACK_SUCCESSFUL, STOPPED, ...)" })),
    ...Object.fromEntries(Object.entries(Counts).map(([k, v]) => [k, Type.Optional(v)])),
    StartedAt: Timestamp,
    FinishedAt: Nullable(Timestamp),
    Deadline: Type.Optional(Timestamp),
    RequestId: Nullable(Type.String()),
    TokenId: Nullable(Type.String({ description: 'id of the configured token that started it (never the token)' })),
    Aborts: Type.Optional(Type.String({ description: 'for an abort: the deployment it stopped' })),
    TrackingError: Type.Optional(Type.String()),
    EcsDeploymentArn: Type.Optional(Type.String({ description: "ECS's own ARN of the deployment, where its ListServiceDeployments lists it" })),
    Timeline: Type.Optional(Type.Array(TimelineEntrySchema, { description: 'single-deployment answer only' })),
  },
  { description: 'a deployment of a service and its outcome' },
)

/** A deployment's wire form, as `deploymentJson` makes it. */
export type DeploymentWire = Static<typeof DeploymentSchema>

/** The headers an answer that started a deployment carries. */
export const deploymentHeaders = {
  'X-Deployment-Id': Type.String({ description: 'the deployment this change started' }),
  Location: Type.String({ description: 'the deployment resource: .../clusters/{cluster}/services/{service}/deployments/{id}' }),
  'Preference-Applied': Type.String({ description: 'wait=<seconds> when the answer waited (Prefer: wait=N or ?wait=N)' }),
}

/**
 * A service create or update answer: as it always was, plus the deployment headers and, when the
 * caller waited, the deployment under `Deployment`.
 */
export function withDeploymentAnswer<T extends TSchema>(answer: T) {
  const properties = (answer as unknown as { properties?: Record<string, TSchema> }).properties ?? {}
  return {
    ...answer,
    properties: { ...properties, Deployment: Type.Optional(DeploymentSchema) },
    description: 'the answer as before; when the change is a deployment, its headers, and with a wait the Deployment',
    headers: deploymentHeaders,
  }
}

/** The wait query parameter every route that can hold its answer takes. */
export const WaitQuery = Type.Object({
  wait: Type.Optional(
    Type.String({ description: 'seconds to hold the answer until the deployment ends (also the header Prefer: wait=N), at most the configured maximum (600)' }),
  ),
})

/** The same wait as a request header (RFC 7240); documented so clients see it beside `?wait`. */
export const WaitHeaders = Type.Object({
  prefer: Type.Optional(Type.String({ description: 'wait=<seconds>: hold the answer until the deployment ends (the same as ?wait; the query wins when both are given)' })),
})

const withHeaders = <T extends object>(schema: T, description: string) => ({ ...schema, description, headers: deploymentHeaders })

export const listDeploymentsSchema = {
  tags: routeTags,
  summary: "A service's deployments, newest first (the last 50): the API's, and ECS's own where it lists them",
  params: ServiceParams,
  response: withErrors({ 200: Type.Array(DeploymentSchema) }, 503),
}

export const showDeploymentSchema = {
  tags: routeTags,
  summary: 'One deployment with its timeline; with Accept: text/event-stream the timeline as server-sent events until the outcome',
  description:
    'As a stream: `deployment`, `service-event` and `task-stopped` events (id = the timeline Seq; Last-Event-ID resumes after it), ' +
    'a keep-alive comment every 15 s, and an `end` event carrying the deployment once it has an outcome.',
  params: DeploymentParams,
  response: withErrors({ 200: DeploymentSchema }, 503),
}

export const rollbackServiceSchema = {
  tags: routeTags,
  summary: 'Roll a service back to its previous revision that succeeded, or to the revision given',
  params: ServiceParams,
  querystring: WaitQuery,
  headers: WaitHeaders,
  body: Type.Optional(
    Type.Object(
      { revision: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String()], { description: 'N, family:N or a revision ARN of the service\'s own family' })) },
      { additionalProperties: true },
    ),
  ),
  response: withErrors({ 202: withHeaders(DeploymentSchema, 'the rollback deployment') }, 409, 502, 503),
}

export const abortDeploymentSchema = {
  tags: routeTags,
  summary: 'Abort an IN_PROGRESS deployment and go back to the last revision that succeeded',
  params: DeploymentParams,
  querystring: WaitQuery,
  headers: WaitHeaders,
  response: withErrors({ 202: withHeaders(DeploymentSchema, 'the deployment that goes back (kind abort)') }, 409, 502, 503),
}
