import Type from 'typebox'
import { OUTCOMES } from '../core/deployments/model.js'
import { AccountParams, withErrors } from './common.js'

/** Schemas of the space routes: the org's spaces and one summary per space. */

const tags = ['spaces']

const SpaceParams = Type.Object({
  account: AccountParams.properties.account,
  space: Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9_-]+$', description: 'the space (ECS cluster name)' }),
})

const SpaceListEntry = Type.Object({
  Space: Type.String(),
  ClusterArn: Type.String(),
  Status: Type.String(),
  ServiceCount: Type.Integer({ description: "the org's services in the space" }),
  TaskDefinitionFamilyCount: Type.Integer({ description: 'task-definition families tagged for the space' }),
})

const Container = Type.Object({
  Name: Type.String(),
  Image: Type.String({ description: "the image the service's task definition names" }),
  RunningDigests: Type.Array(Type.String(), { description: 'image digests the running tasks report for this container' }),
})

const TargetGroupHealth = Type.Object({
  TargetGroupArn: Type.String(),
  ContainerName: Type.String(),
  ContainerPort: Type.Union([Type.Integer(), Type.Null()]),
  States: Type.Record(Type.String(), Type.Integer(), { description: 'number of targets by state' }),
  Targets: Type.Array(
    Type.Object({ Id: Type.String(), Port: Type.String(), State: Type.String(), Reason: Type.String() }),
  ),
})

const Autoscaling = Type.Object(
  {
    Min: Type.Integer({ description: "the scalable target's registered minimum" }),
    Max: Type.Integer({ description: "the scalable target's registered maximum" }),
    Targets: Type.Object(
      { Cpu: Type.Optional(Type.Number()), Memory: Type.Optional(Type.Number()), RequestsPerTarget: Type.Optional(Type.Number()) },
      { description: 'the target-tracking targets, as the service autoscaling route answers them' },
    ),
  },
  { description: 'present when the service has a scalable target' },
)

const DEPLOYMENT_OUTCOMES = OUTCOMES.map((o) => Type.Literal(o))

const ServiceDeployment = Type.Object(
  {
    Id: Type.String({ description: "the latest deployment's id (`.../services/{service}/deployments/{id}`)" }),
    Kind: Type.String({ description: 'create, update, rollback or abort' }),
    Outcome: Type.Union(DEPLOYMENT_OUTCOMES),
    StartedAt: Type.String({ format: 'date-time' }),
    FinishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null while it runs' }),
    LastOutcome: Type.Union([...DEPLOYMENT_OUTCOMES, Type.Null()], { description: 'the outcome of the last deployment that ended (the latest, once it ended)' }),
  },
  { description: 'present when the API has deployed the service: its latest tracked deployment, from the operations store' },
)

const FamilySchedule = Type.Object({
  Name: Type.String(),
  Expression: Type.String(),
  Timezone: Type.String(),
  State: Type.String(),
  NextRuns: Type.Array(Type.String({ format: 'date-time' })),
})

const ServiceEntry = Type.Object(
  {
    ServiceName: Type.String(),
    ServiceArn: Type.String(),
    Status: Type.String(),
    TaskDefinition: Type.String(),
    DesiredCount: Type.Integer(),
    RunningCount: Type.Integer(),
    PendingCount: Type.Integer(),
    Containers: Type.Array(Container),
    LoadBalancers: Type.Array(TargetGroupHealth),
    RecentFailures: Type.Object({
      Since: Type.String({ format: 'date-time' }),
      StoppedTasks: Type.Integer({ description: 'tasks of the service stopped since then' }),
      TopReason: Type.Union([Type.String(), Type.Null()], { description: 'the most frequent stop reason' }),
    }),
    Autoscaling: Type.Optional(Autoscaling),
    Deployment: Type.Optional(ServiceDeployment),
  },
  { additionalProperties: true, description: 'optional sections (Deployment, Autoscaling) appear as more keys' },
)

const FamilyEntry = Type.Object(
  {
    Family: Type.String(),
    LatestTaskDefinitionArn: Type.String(),
    Revisions: Type.Integer(),
    Schedules: Type.Optional(Type.Array(FamilySchedule, { description: "present when the space's schedules run the family; by name" })),
  },
  { additionalProperties: true, description: 'optional sections (Schedules) appear as more keys' },
)

export const SpaceSummarySchema = Type.Object(
  {
    Space: Type.String(),
    ClusterArn: Type.String(),
    Status: Type.String(),
    Services: Type.Array(ServiceEntry),
    TaskDefinitionFamilies: Type.Array(FamilyEntry),
    SecretCount: Type.Integer({ description: "the org's secrets tagged for the space" }),
    ParameterCount: Type.Integer({ description: "the org's parameters tagged for the space" }),
    IncompleteSections: Type.Optional(Type.Array(Type.String(), { description: 'optional sections that could not be read this time' })),
  },
  { additionalProperties: true },
)

export const listSpacesSchema = {
  tags,
  summary: "The org's spaces in the account (its clusters), with service and task-definition family counts",
  params: AccountParams,
  response: withErrors({ 200: Type.Array(SpaceListEntry) }, 429, 502, 503),
}

export const showSpaceSchema = {
  tags,
  summary: 'One summary of a space: its services with counts, images, target health and recent failures; its families, secrets and parameters',
  params: SpaceParams,
  response: withErrors({ 200: SpaceSummarySchema }, 429, 502, 503),
}
