/**
 * What the shared space steps (ensure-cluster, ensure-task-execution-role, ensure-log-group,
 * create-repository-credentials, register-task-definition) read from a workflow's scope. A workflow
 * scope extends these interfaces with its own fields; build the common part with `spaceScope()`.
 */
import type { Account } from '../../aws/account-clients.js'
import { cleanedTags, type Flavor, type Tag } from '../../core/tags.js'

export interface SpaceScope {
  readonly account: Account
  readonly org: string
  /** The space: cluster name, log group name, role name prefix and credential secret path. */
  readonly clusterName: string
  /** `task` for managed task definitions, `service` for services. */
  readonly flavor: Flavor
  /** The cleaned tags of this request (org, space, type, flavor first): every created resource gets them. */
  readonly tags: readonly Tag[]
}

export interface SpaceScopeInput {
  account: Account
  org: string
  clusterName: string
  flavor: Flavor
  /** The client's tags; one naming another org throws ForbiddenError (403) here, before any AWS call. */
  clientTags?: readonly Tag[] | undefined
}

export function spaceScope(input: SpaceScopeInput): SpaceScope {
  return {
    account: input.account,
    org: input.org,
    clusterName: input.clusterName,
    flavor: input.flavor,
    tags: cleanedTags(input.clientTags, input.org, input.clusterName, input.flavor),
  }
}
