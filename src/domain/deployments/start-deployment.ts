import type { ContainerDefinition, Service } from '@aws-sdk/client-ecs'
import { startOperation } from '../use-case-context.js'
import type { DeploymentContext } from './context.js'
import { ourDeployment } from '../../core/deployments/evaluate.js'
import { DEPLOYMENT_KIND, familyOf, revisionOf, type DeploymentInput, type DeploymentKind } from '../../core/deployments/model.js'
import { initialProgress } from './track-operation.js'
import type { Deployment } from './view.js'

export interface DeploymentStart {
  kind: DeploymentKind
  cluster: string
  /** The service as ECS answered the change (its task definition, desired count, deployments). */
  service: Service
  containers: readonly Pick<ContainerDefinition, 'name' | 'image'>[]
  /** For an abort: the deployment it stops. */
  aborts?: string
}

/** Records a deployment and starts its tracker (a `service.deployment` operation). */
export async function startDeployment(ctx: DeploymentContext, start: DeploymentStart): Promise<Deployment> {
  const { service } = start
  const { settings } = ctx
  const taskDefinition = service.taskDefinition ?? ''
  const now = new Date()
  const base: DeploymentInput = {
    kind: start.kind,
    cluster: start.cluster,
    service: service.serviceName ?? '',
    taskDefinition,
    revision: revisionOf(taskDefinition),
    family: familyOf(taskDefinition),
    desiredCount: service.desiredCount ?? 0,
    images: start.containers.map((c) => ({ container: c.name ?? '', image: c.image ?? '' })),
    startedAt: now.toISOString(),
    deadlineAt: new Date(now.getTime() + settings.deadlineSeconds * 1000).toISOString(),
    pollMinMs: settings.pollMinMs,
    pollMaxMs: settings.pollMaxMs,
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    ...(ctx.tokenId ? { tokenId: ctx.tokenId } : {}),
    ...(start.aborts ? { aborts: start.aborts } : {}),
    ...(settings.registry ? { registry: settings.registry } : {}),
  }
  const ecsDeploymentId = ourDeployment(service, base)?.id
  const input: DeploymentInput = { ...base, ...(ecsDeploymentId ? { ecsDeploymentId } : {}) }
  const op = await startOperation(ctx, DEPLOYMENT_KIND, { cluster: input.cluster, service: input.service }, input)
  return { id: op.id, account: op.account, input, progress: initialProgress() }
}
