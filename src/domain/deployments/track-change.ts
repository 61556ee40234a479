import type { Deployment as EcsDeployment, Service } from '@aws-sdk/client-ecs'
import type { JsonValue } from '../../codec/index.js'
import type { DeploymentContext } from './context.js'
import { startDeployment } from './start-deployment.js'
import type { Deployment } from './view.js'

/**
 * Service creates and updates become deployments here, from the answer the route is about to send
 * (the service and task definition ECS answered), so the create and update use cases stay as they were.
 */

type JsonObject = { [key: string]: JsonValue }

const obj = (v: JsonValue | undefined): JsonObject | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v) : undefined
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined)

/** A key of a request body, case-insensitively (the codec's rule for request keys). */
function member(body: unknown, key: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined
  const found = Object.keys(body).find((k) => k.toLowerCase() === key.toLowerCase())
  return found === undefined ? undefined : (body as Record<string, unknown>)[found]
}

/**
 * Whether an update request changes what the service runs or how many: a new revision, another task
 * definition, the desired count, the capacity providers, or a forced new deployment. Tags alone do not.
 */
export function updateIsDeployment(body: unknown): boolean {
  const service = member(body, 'service')
  return (
    member(body, 'taskDefinition') !== undefined ||
    member(body, 'forceNewDeployment') === true ||
    ['taskDefinition', 'desiredCount', 'capacityProviderStrategy'].some((k) => member(service, k) !== undefined) ||
    member(service, 'forceNewDeployment') === true
  )
}

/** The SDK's Service of the answer's PascalCase `Service` (only what tracking reads). */
function serviceOfAnswer(answer: JsonObject): Service | undefined {
  const s = obj(answer.Service)
  if (!s) return undefined
  const deployments = Array.isArray(s.Deployments) ? s.Deployments.map(obj).filter((d): d is JsonObject => d !== undefined) : []
  return {
    serviceName: str(s.ServiceName),
    taskDefinition: str(s.TaskDefinition),
    desiredCount: typeof s.DesiredCount === 'number' ? s.DesiredCount : undefined,
    deployments: deployments.map(
      (d): EcsDeployment => ({ id: str(d.Id), status: str(d.Status), taskDefinition: str(d.TaskDefinition) }),
    ),
  }
}

function containersOfAnswer(answer: JsonObject): { name?: string; image?: string }[] {
  const defs = obj(answer.TaskDefinition)?.ContainerDefinitions
  return Array.isArray(defs)
    ? defs.map(obj).filter((c): c is JsonObject => c !== undefined).map((c) => ({ name: str(c.Name), image: str(c.Image) }))
    : []
}

/** `web` of the answer's cluster, or of the service's cluster ARN. */
function clusterOfAnswer(answer: JsonObject): string | undefined {
  const name = str(obj(answer.Cluster)?.ClusterName)
  const arn = str(obj(answer.Service)?.ClusterArn)
  return name ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined)
}

/** The deployment of a service create, from its answer; undefined when the answer names no service. */
export async function trackCreate(ctx: DeploymentContext, answer: JsonObject): Promise<Deployment | undefined> {
  const service = serviceOfAnswer(answer)
  const cluster = clusterOfAnswer(answer)
  if (!service?.serviceName || !service.taskDefinition || !cluster) return undefined
  return startDeployment(ctx, { kind: 'create', cluster, service, containers: containersOfAnswer(answer) })
}

/** The deployment of a service update, when the request was one (see `updateIsDeployment`). */
export async function trackUpdate(ctx: DeploymentContext, cluster: string, body: unknown, answer: JsonObject): Promise<Deployment | undefined> {
  if (!updateIsDeployment(body)) return undefined
  const service = serviceOfAnswer(answer)
  if (!service?.serviceName || !service.taskDefinition) return undefined
  return startDeployment(ctx, { kind: 'update', cluster, service, containers: containersOfAnswer(answer) })
}
