import type { Cluster, Service } from '@aws-sdk/client-ecs'
import type { JsonValue } from '../../codec/index.js'
import { autoscalingSection } from './autoscaling-section.js'
import type { SpaceContext } from './context.js'
import { deploymentSection } from './deployment-section.js'
import { schedulesSection } from './schedules-section.js'

/**
 * Optional parts of the space summary that come from features of their own (deployments,
 * autoscaling, schedules). Each is a small provider: given what the summary has already read, it
 * answers its part for some services, some task-definition families and/or the space, and the
 * summary puts each part under the provider's key. A provider starts as soon as the services are
 * described (the summary's second round of AWS calls), beside the summary's own third round, so a
 * provider whose calls are at most two deep keeps the summary within four calls on its critical path.
 */

/** What the summary has read when the providers start. */
export interface SpaceFacts {
  readonly ctx: SpaceContext
  readonly space: string
  readonly cluster: Cluster
  /** The org's ACTIVE services of the space, described with their tags. */
  readonly services: readonly Service[]
  /** The space's task-definition families, by name. */
  readonly families: readonly string[]
}

/** A provider's answer; any part may be left out. */
export interface SpaceSectionParts {
  /** By service name: put on that service's entry under the section's key. */
  readonly services?: ReadonlyMap<string, JsonValue>
  /** By family name: put on that family's entry under the section's key. */
  readonly families?: ReadonlyMap<string, JsonValue>
  /** Put on the summary itself under the section's key. */
  readonly space?: JsonValue
}

export interface SpaceSection {
  /** The PascalCase key the parts appear under (`Deployment`, `Autoscaling`, `Schedules`). */
  readonly key: string
  build(facts: SpaceFacts): Promise<SpaceSectionParts>
}

/**
 * The sections every space summary shows, in order. A feature adds its provider here (one import,
 * one entry); until then its key is simply absent from the summary.
 */
export const spaceSections: readonly SpaceSection[] = [deploymentSection, autoscalingSection, schedulesSection]
