import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { iamApi } from '../../aws/iam.js'
import { logGroupArn, logGroupsApi } from '../../aws/logs-groups.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { FLAVOR_TAG, toEcsTags, toTagMap, type Tag } from '../../core/tags.js'
import { credentialSecrets } from '../../aws/credential-secrets.js'

/** Tag calls in flight at once. */
const CONCURRENCY = 4

/**
 * Tags for resources a space shares between its services and task definitions (cluster, log group,
 * role): `Name` first, then the tags without the category, name and flavor keys, which describe one
 * resource, not the space.
 */
function sharedTags(name: string, tags: readonly Tag[]): Tag[] {
  const own = new Set(['spinup:category', 'name', FLAVOR_TAG])
  return [{ Key: 'Name', Value: name }, ...tags.filter((t) => !own.has(t.Key.toLowerCase()))]
}

export interface SpaceTagTargets {
  clusterArn: string
  clusterName: string
  roleName: string
  logGroupNames: readonly string[]
  /** Resources of this task definition alone: its revision and credential secrets. */
  taskDefinitionArn: string
  secretArns: readonly string[]
  /** What earlier steps of the same request already returned: not looked up again. */
  known?: KnownSpaceResources
}

export interface KnownSpaceResources {
  /** ARNs (without `:*`) of log groups, by name. */
  logGroupArns?: ReadonlyMap<string, string>
  /** The role was just ensured to exist. */
  roleExists?: boolean
}

/**
 * ARNs (without `:*`) of the log groups `names` (once each, in order); a name in `known` is not looked
 * up, groups that do not exist are left out.
 */
export async function logGroupArnsOf(
  account: Account,
  names: readonly string[],
  known: ReadonlyMap<string, string> = new Map(),
): Promise<string[]> {
  const logs = logGroupsApi(account.clients.logs)
  const arns = await mapWithConcurrency(
    [...new Set(names)],
    async (name) => known.get(name) ?? (await logs.find(name).then((g) => (g ? logGroupArn(g) : undefined))),
    CONCURRENCY,
  )
  return arns.flatMap((arn) => (arn ? [arn] : []))
}

/**
 * Puts `tags` on a task definition and what it uses: the revision and its secrets get them as they
 * are; the cluster, log groups and role get the shared form. Resources that no longer exist are
 * skipped. Answers the ARNs of the log groups tagged.
 */
export async function applySpaceTags(account: Account, targets: SpaceTagTargets, tags: readonly Tag[]): Promise<string[]> {
  const ecs = ecsApi(account.clients.ecs)
  const logs = logGroupsApi(account.clients.logs)
  const iam = iamApi(account.clients.iam)
  const secrets = credentialSecrets(account.clients.secretsManager)

  const groupArns = await logGroupArnsOf(account, targets.logGroupNames, targets.known?.logGroupArns)
  const calls: (() => Promise<void>)[] = [
    () => ecs.tagResource(targets.clusterArn, toEcsTags(sharedTags(targets.clusterName, tags))),
    ...groupArns.map((arn) => () => logs.tag(arn, toTagMap(sharedTags(targets.clusterName, tags)))),
    async () => {
      if (targets.known?.roleExists === true || (await iam.getRole(targets.roleName))) await iam.tagRole(targets.roleName, sharedTags(targets.roleName, tags))
    },
    () => ecs.tagResource(targets.taskDefinitionArn, toEcsTags(tags)),
    ...[...new Set(targets.secretArns)].map((arn) => () => secrets.tag(arn, tags)),
  ]
  await mapWithConcurrency(calls, (call) => call(), CONCURRENCY)
  return groupArns
}
