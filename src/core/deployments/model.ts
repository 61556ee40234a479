/**
 * A deployment as the store keeps it: the durable input it was started with (what changed, by
 * whom, how long it may take) and the tracker's progress (outcome, counts, timeline). Both live in
 * one operation record of kind `service.deployment`; its single step `track` is the tracker.
 */

export const DEPLOYMENT_KIND = 'service.deployment'
export const TRACK_STEP = 'track'

export const DEPLOYMENT_KINDS = ['create', 'update', 'rollback', 'abort'] as const
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number]

export const OUTCOMES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'ABORTED'] as const
export type Outcome = (typeof OUTCOMES)[number]

export interface ContainerImage {
  container: string
  image: string
}

/** What the tracker needs to follow one deployment; stored as the operation's input (JSON). */
export interface DeploymentInput {
  kind: DeploymentKind
  cluster: string
  service: string
  /** The task definition revision the deployment rolls out (ARN). */
  taskDefinition: string
  revision: number
  family: string
  desiredCount: number
  /** The PRIMARY deployment ECS answered the change with, when it answered one. */
  ecsDeploymentId?: string
  images: ContainerImage[]
  startedAt: string
  /** After this the deployment is FAILED (deadline passed). */
  deadlineAt: string
  pollMinMs: number
  pollMaxMs: number
  requestId?: string
  /** Which configured token started it (an id derived from the token, never the token). */
  tokenId?: string
  /** For an abort: the deployment it stops. */
  aborts?: string
  /** Where image tags are resolved for the drift check (the config's non-secret `images` settings). */
  registry?: { allowedPrivateHosts: string[]; allowedRealmHosts: string[]; insecureHosts: string[]; timeoutMs: number }
}

export interface TaskContainerState {
  name: string
  exitCode?: number
  reason?: string
  image?: string
  imageDigest?: string
}

export interface StoppedTask {
  taskArn: string
  stopCode?: string
  stoppedReason?: string
  stoppedAt?: string
  containers: TaskContainerState[]
}

export interface Counts {
  desired: number
  running: number
  pending: number
  failed: number
}

/** One entry of the timeline; `seq` orders them and is the stream's event id. */
export type TimelineEntry =
  | { seq: number; at: string; type: 'deployment'; outcome: Outcome; rolloutState?: string; counts: Counts; reason?: string }
  | { seq: number; at: string; type: 'service-event'; id: string; message: string }
  | { seq: number; at: string; type: 'task-stopped'; task: StoppedTask }

export interface ImageDigest {
  container: string
  image: string
  digest: string
}

export interface ImageDrift {
  container: string
  image: string
  runningDigest: string
  tagDigest: string
}

/** The tracker's saved progress (the `track` step's progress, and its output once it ended). */
export interface DeploymentProgress {
  outcome: Outcome
  reason?: string
  finishedAt?: string
  counts?: Counts
  rolloutState?: string
  timeline: TimelineEntry[]
  digests?: ImageDigest[]
  imageDrift?: ImageDrift[]
}

/** Timeline entries kept per deployment; the oldest service events go first beyond it. */
export const MAX_TIMELINE = 200

export function isEnded(outcome: Outcome): boolean {
  return outcome !== 'IN_PROGRESS'
}

/** `7` of `...:task-definition/web:7`; 0 when it has none. */
export function revisionOf(arn: string): number {
  const m = /:(\d+)$/.exec(arn)
  return m ? Number(m[1]) : 0
}

/** `web` of `...:task-definition/web:7` or `web:7`. */
export function familyOf(arn: string): string {
  const tail = arn.includes('/') ? arn.slice(arn.lastIndexOf('/') + 1) : arn
  return tail.replace(/:\d+$/, '')
}
