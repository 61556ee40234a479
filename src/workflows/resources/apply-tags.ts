import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { iamApi } from '../../aws/iam.js'
import { logGroupArn, logGroupsApi } from '../../aws/logs-groups.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { FLAVOR_TAG, toEcsTags, toTagMap, type Tag } from '../../core/tags.js'
import { credentialSecrets } from '../../aws/credential-secrets.js'
import { NotFoundError } from '../../core/errors.js'
import { existingResourcesOf, type ExistingResources } from '../../core/existing-resources.js'

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
 * up, groups that do not exist are left out. Groups found are remembered as existing.
 */
export async function logGroupArnsOf(
  account: Account,
  names: readonly string[],
  known: ReadonlyMap<string, string> = new Map(),
): Promise<string[]> {
  const logs = logGroupsApi(account.clients.logs)
  const memory = existingResourcesOf(account)
  const arns = await mapWithConcurrency(
    [...new Set(names)],
    async (name) => known.get(name) ?? (await logs.find(name).then((g) => remembered(memory, name, g ? logGroupArn(g) : undefined))),
    CONCURRENCY,
  )
  return arns.flatMap((arn) => (arn ? [arn] : []))
}

function remembered(memory: ExistingResources | undefined, name: string, arn: string | undefined): string | undefined {
  memory?.rememberLogGroup(name, arn)
  return arn
}

/**
 * Runs a tag call on a resource only remembered to exist: true when tagged, false when the call says
 * it is gone (then it is skipped, as a lookup finding nothing would have it, and `forget` runs).
 */
async function tagRemembered(tag: () => Promise<void>, forget: () => void): Promise<boolean> {
  try {
    await tag()
    return true
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err
    forget()
    return false
  }
}

/**
 * Puts `tags` on a task definition and what it uses: the revision and its secrets get them as they
 * are; the cluster, log groups and role get the shared form. Resources that no longer exist are
 * skipped. Answers the ARNs of the log groups tagged.
 *
 * A role or log group this process knows exists (created or seen lately, `ExistingResources`) is
 * tagged straight away, without GetRole or DescribeLogGroups first: the tag call itself answers
 * "not found" for one deleted since, which is then skipped as the lookup would have had it.
 */
export async function applySpaceTags(account: Account, targets: SpaceTagTargets, tags: readonly Tag[]): Promise<string[]> {
  const ecs = ecsApi(account.clients.ecs)
  const logs = logGroupsApi(account.clients.logs)
  const iam = iamApi(account.clients.iam)
  const secrets = credentialSecrets(account.clients.secretsManager)
  const memory = existingResourcesOf(account)
  const groupTags = toTagMap(sharedTags(targets.clusterName, tags))
  const roleTags = sharedTags(targets.roleName, tags)

  // The ARN each group was tagged on, by its place in `names` (undefined: it does not exist).
  const names = [...new Set(targets.logGroupNames)]
  const tagged: (string | undefined)[] = names.map(() => undefined)
  const tagGroup = async (name: string, i: number): Promise<void> => {
    const known = targets.known?.logGroupArns?.get(name)
    const recent = known ? undefined : memory?.logGroupArn(name)
    if (recent) {
      if (await tagRemembered(() => logs.tag(recent, groupTags), () => memory?.forgetLogGroup(name))) tagged[i] = recent
      return
    }
    const [arn] = known ? [known] : await logGroupArnsOf(account, [name])
    if (!arn) return
    await logs.tag(arn, groupTags)
    tagged[i] = arn
  }
  const tagRole = async (): Promise<void> => {
    if (targets.known?.roleExists !== true && memory?.hasRole(targets.roleName)) {
      await tagRemembered(() => iam.tagRole(targets.roleName, roleTags), () => memory.forgetRole(targets.roleName))
      return
    }
    if (targets.known?.roleExists !== true && !(await iam.getRole(targets.roleName))) return
    memory?.rememberRole(targets.roleName)
    await iam.tagRole(targets.roleName, roleTags)
  }
  const calls: (() => Promise<void>)[] = [
    () => ecs.tagResource(targets.clusterArn, toEcsTags(sharedTags(targets.clusterName, tags))),
    ...names.map((name, i) => () => tagGroup(name, i)),
    tagRole,
    () => ecs.tagResource(targets.taskDefinitionArn, toEcsTags(tags)),
    ...[...new Set(targets.secretArns)].map((arn) => () => secrets.tag(arn, tags)),
  ]
  await mapWithConcurrency(calls, (call) => call(), CONCURRENCY)
  return tagged.flatMap((arn) => (arn ? [arn] : []))
}
