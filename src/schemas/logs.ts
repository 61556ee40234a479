/**
 * Logs (merged, filtered, followed) and diagnosis routes: TypeBox schemas for validation and the
 * OpenAPI document. Query values stay strings: the use cases parse them and name the parameter in
 * their 400.
 */
import Type from 'typebox'
import { AccountParams, withErrors } from './common.js'

const routeTags = ['logs']

// Declared here rather than imported from the task schemas, which import the service schemas (a cycle).
const TaskParams = Type.Object({
  account: AccountParams.properties.account,
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
  task: Type.String({ minLength: 1, description: 'task id or task ARN' }),
})

/** The merged form's parameters, on the service and task logs routes alike. */
export const mergedLogsQuery = {
  container: Type.Optional(Type.String({ description: 'only this container (default: every container that logs to CloudWatch Logs)' })),
  filter: Type.Optional(
    Type.String({ description: 'a CloudWatch Logs filter pattern (`ERROR`, `"exact phrase"`, `{ $.level = "error" }`); one CloudWatch refuses is a 400 naming filter' }),
  ),
  since: Type.Optional(Type.String({ description: 'a duration back from now (`15m`, `2h`, `7d`) or an RFC 3339 time' })),
  until: Type.Optional(Type.String({ description: 'a duration back from now or an RFC 3339 time; not before since' })),
  follow: Type.Optional(
    Type.String({
      description:
        'true: server-sent events (needs `Accept: text/event-stream`), one `log` event per line, `id` = `<epoch ms>-<event id>`; ' +
        'resume with `Last-Event-ID`. Without since or Last-Event-ID it starts 30 s back.',
    }),
  ),
  limit: Type.Optional(Type.String({ description: 'at most this many events per page, 1 to 10000 (default 1000)' })),
  next: Type.Optional(Type.String({ description: 'the NextToken of an earlier answer: the events after it' })),
}

export const MergedLogEvent = Type.Object({
  Id: Type.String({ description: 'cursor `<epoch ms>-<event id>`: the SSE id, and what next / Last-Event-ID resume after' }),
  TaskId: Type.String(),
  Container: Type.String(),
  Timestamp: Type.String({ description: 'RFC 3339, UTC' }),
  Message: Type.String(),
})

export const MergedLogs = Type.Object(
  {
    Events: Type.Array(MergedLogEvent, { description: 'in time order (timestamp, then event id)' }),
    Tasks: Type.Array(Type.String(), { description: 'ids of the tasks whose streams were read' }),
    NextToken: Type.Union([Type.String(), Type.Null()], { description: 'set when more events follow: pass as next' }),
  },
  { description: 'the merged form' },
)

/** The text/event-stream answer of a follow, for the OpenAPI document. */
export const LogEventStream = Type.String({
  description:
    'Server-sent events: `retry: 3000`, then per log line `id: <epoch ms>-<event id>`, `event: log`, `data: <MergedLogEvent JSON>`; ' +
    'a `: keep-alive` comment every 15 s; an `end` event (`{"Reason":"finished"}` once every task stopped and all was sent, ' +
    'or `{"Reason":"error","Detail":...}`). At most logs.maxFollows follows per process (default 100): 503 with Retry-After beyond it.',
})

/** A 200 that is JSON, or server-sent events with follow=true. */
export function logsAnswer<T extends object>(json: T) {
  return {
    description: 'JSON; with follow=true and Accept: text/event-stream, server-sent events',
    content: {
      'application/json': { schema: json },
      'text/event-stream': { schema: LogEventStream },
    },
  }
}

export const taskLogsSchema = {
  tags: routeTags,
  summary: "Log events of one task of the org, every container merged in time order (or container=); follow with SSE",
  params: TaskParams,
  querystring: Type.Object(mergedLogsQuery),
  response: withErrors({ 200: logsAnswer(MergedLogs) }, 503),
}

const ServiceParams = Type.Object({
  account: AccountParams.properties.account,
  cluster: Type.String({ minLength: 1, description: 'cluster (space) name' }),
  service: Type.String({ minLength: 1, description: 'service name or ARN' }),
})

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

const FailureKind = Type.Union(
  [
    'image-pull', 'secrets-unreadable', 'out-of-memory', 'essential-container-exited', 'container-health-check',
    'load-balancer-health-check', 'capacity-unavailable', 'network-configuration', 'unknown',
  ].map((k) => Type.Literal(k)),
)

export const diagnosisSchema = {
  tags: ['diagnosis'],
  summary: "Why a service is unhealthy: its state, folded events, the tasks stopped in the window, each failure classified with the failing container's last 50 log lines",
  params: ServiceParams,
  querystring: Type.Object({
    window: Type.Optional(Type.String({ description: 'how far back stopped tasks and events are read: a duration (default 1h; ECS keeps stopped tasks about an hour)' })),
  }),
  response: withErrors({
    200: Type.Object({
      ServiceName: Type.String(),
      Cluster: Type.String(),
      Window: Type.String(),
      Since: Type.String({ description: 'RFC 3339' }),
      Healthy: Type.Boolean({ description: 'all desired tasks run, no failure in the window, the rollout did not fail' }),
      Summary: Type.String(),
      Service: Type.Object({
        Status: Nullable(Type.String()),
        DesiredCount: Type.Integer(),
        RunningCount: Type.Integer(),
        PendingCount: Type.Integer(),
        TaskDefinition: Nullable(Type.String()),
      }),
      Deployment: Nullable(
        Type.Object({
          Id: Nullable(Type.String()),
          Status: Nullable(Type.String()),
          TaskDefinition: Nullable(Type.String()),
          RolloutState: Nullable(Type.String()),
          RolloutStateReason: Nullable(Type.String()),
          DesiredCount: Type.Integer(),
          RunningCount: Type.Integer(),
          PendingCount: Type.Integer(),
          FailedTasks: Type.Integer(),
          CreatedAt: Nullable(Type.String()),
          UpdatedAt: Nullable(Type.String()),
          EcsDeploymentId: Nullable(Type.String({ description: "ECS's id of the deployment" })),
          Kind: Nullable(Type.String({ description: 'a tracked deployment: create, update, rollback or abort' })),
          Outcome: Nullable(Type.String({ description: 'a tracked deployment: IN_PROGRESS, SUCCEEDED, FAILED, ROLLED_BACK or ABORTED' })),
          Reason: Nullable(Type.String({ description: 'a tracked deployment: why it ended as it did' })),
          Source: Type.String({ description: '`DescribeServices` (its PRIMARY deployment), or `tracked`: the newest deployment the API tracked' }),
        }),
      ),
      CircuitBreaker: Type.Object({
        Enabled: Type.Boolean(),
        Rollback: Type.Boolean(),
        Threshold: Type.Integer({ description: 'failed tasks that trip it: half the desired count, 3 to 200' }),
        FailedTasks: Type.Integer(),
        State: Type.Union([Type.Literal('disabled'), Type.Literal('monitoring'), Type.Literal('triggered')]),
      }),
      Events: Type.Array(
        Type.Object({ Message: Type.String(), Count: Type.Integer(), FirstAt: Nullable(Type.String()), LastAt: Nullable(Type.String()) }),
        { description: 'distinct events of the window, repeats folded, newest first' },
      ),
      StoppedTasks: Type.Array(
        Type.Object({
          TaskId: Type.String(),
          TaskDefinition: Nullable(Type.String()),
          StoppedAt: Nullable(Type.String()),
          StopCode: Nullable(Type.String()),
          StoppedReason: Nullable(Type.String()),
          Containers: Type.Array(
            Type.Object({ Name: Nullable(Type.String()), ExitCode: Nullable(Type.Integer()), Reason: Nullable(Type.String()), LastStatus: Nullable(Type.String()) }),
          ),
          Failure: Nullable(FailureKind),
        }),
      ),
      Failures: Type.Array(
        Type.Object({
          Kind: FailureKind,
          Title: Type.String(),
          Explanation: Type.String(),
          NextStep: Type.String(),
          Container: Nullable(Type.String()),
          ExitCode: Nullable(Type.Integer()),
          Count: Type.Integer(),
          Tasks: Type.Array(Type.String()),
          LatestTask: Nullable(Type.String()),
          LatestAt: Nullable(Type.String()),
          Detail: Type.String({ description: "ECS's stop reason and container reasons, as given" }),
          LogLines: Type.Array(Type.Object({ Timestamp: Type.String(), Message: Type.String() }), { description: 'last 50 lines, oldest first' }),
          LogsNote: Nullable(Type.String()),
        }),
        { description: 'distinct failures (kind, container, exit code), the most recent occurrence first' },
      ),
    }),
  }),
}
