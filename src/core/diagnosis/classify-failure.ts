import type { Container, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import type { FailureKind } from './failure-kinds.js'

/** Why one stopped task failed, and which container to read the logs of. */
export interface Classified {
  kind: FailureKind
  /** The container that failed (or the task's first essential one). */
  container: string | undefined
  exitCode: number | undefined
  /** ECS's own words: the stop reason and the containers' reasons. */
  detail: string
}

/** Stops that are no failure: a person or a deployment replacing or scaling in tasks. */
const NORMAL_STOP = /^(Scaling activity initiated by|Task stopped by user|Service .* deployment (completed|replaced))/i

const RULES: Array<[FailureKind, RegExp]> = [
  ['image-pull', /CannotPullContainer|CannotPullImageManifest|pull access denied|manifest (for \S+ )?(unknown|not found)|failed to resolve ref|unable to pull image|repository \S* ?(does not exist|not found)/i],
  ['secrets-unreadable', /ResourceInitializationError|unable to (retrieve|pull) secrets?|GetSecretValue|ssm:GetParameters?|GetParameters|secretsmanager|ParameterNotFound|AccessDenied\S*.*\b(secret|parameter|kms)/i],
  ['out-of-memory', /OutOfMemory/i],
  ['container-health-check', /failed container health checks?|container .* unhealthy/i],
  ['load-balancer-health-check', /ELB health checks?|(load balancer|target group) health checks?/i],
  ['capacity-unavailable', /RESOURCE:(CPU|MEMORY|ENI|GPU|PORTS)|capacity is unavailable|insufficient capacity|no container instances|unable to place a task|SpotInterruption/i],
  ['network-configuration', /CannotCreateNetworkInterface|network interface|\bENI\b|subnet|security group|no (available|free) IP|IP address/i],
]

function essentialNames(td: TaskDefinition | undefined): Set<string> {
  return new Set((td?.containerDefinitions ?? []).filter((c) => c.essential !== false && c.name).map((c) => c.name!))
}

/** The container most to blame: an essential one that exited non-zero, else one with a reason, else the first essential. */
function failingContainer(task: Task, td: TaskDefinition | undefined, kind: FailureKind): Container | undefined {
  const containers = task.containers ?? []
  const essential = essentialNames(td)
  const isEssential = (c: Container) => essential.size === 0 || essential.has(c.name ?? '')
  const nonZero = (c: Container) => c.exitCode !== undefined && c.exitCode !== 0
  if (kind === 'out-of-memory') {
    const oom = containers.find((c) => /OutOfMemory/i.test(c.reason ?? '') || c.exitCode === 137)
    if (oom) return oom
  }
  return (
    containers.find((c) => isEssential(c) && nonZero(c)) ??
    containers.find(nonZero) ??
    containers.find((c) => !!c.reason) ??
    containers.find(isEssential) ??
    containers[0]
  )
}

/**
 * Files a stopped task under one failure kind, or answers undefined when it was stopped on purpose
 * (by a user, by a deployment or scale-in). The rules read the stop reason and the containers'
 * reasons, most specific first; an essential container that exited with a code is the fallback before
 * `unknown`.
 */
export function classifyStoppedTask(task: Task, td?: TaskDefinition): Classified | undefined {
  const reason = task.stoppedReason ?? ''
  if (task.stopCode === 'UserInitiated' || NORMAL_STOP.test(reason)) return undefined
  const containerReasons = (task.containers ?? []).filter((c) => c.reason).map((c) => `${c.name ?? '?'}: ${c.reason!}`)
  const detail = [reason, ...containerReasons].filter(Boolean).join(' | ') || `stopped with code ${task.stopCode ?? 'unknown'} and no reason`
  let kind: FailureKind | undefined = RULES.find(([, pattern]) => pattern.test(detail))?.[0]
  if (!kind && (task.stopCode === 'EssentialContainerExited' || /Essential container in task exited/i.test(reason))) {
    kind = 'essential-container-exited'
  }
  kind ??= 'unknown'
  const container = failingContainer(task, td, kind)
  return { kind, container: container?.name, exitCode: container?.exitCode ?? undefined, detail }
}
