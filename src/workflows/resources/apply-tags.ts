import type { Account } from '../../aws/account-clients.js'
import { ecsApi } from '../../aws/ecs.js'
import { iamApi } from '../../aws/iam.js'
import { logGroupArn, logGroupsApi } from '../../aws/logs-groups.js'
import { mapWithConcurrency, settleWithConcurrency } from '../../core/concurrency.js'
import { serviceOfArn, taggingApi, type FailedTag } from '../../aws/tagging.js'
import { FLAVOR_TAG, toEcsTags, toTagMap, type Tag } from '../../core/tags.js'
import { credentialSecrets } from '../../aws/credential-secrets.js'
import { NotFoundError } from '../../core/errors.js'
import { existingResourcesOf, type ExistingResources } from '../../core/existing-resources.js'

/** Lookups and one-by-one tag calls in flight at once. */
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
  /** The service that runs the revision, tagged as the revision is (a service update's). */
  serviceArn?: string
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
 * Tags `arns` with one Resource Groups Tagging API call per 20 ARNs. Answers the ARNs of `mayBeGone`
 * (resources only remembered to exist) that the call says are gone: they are skipped, as a lookup
 * finding nothing would have them. Any other failure, or one of those for another resource, throws,
 * as the resource's own tag call did.
 *
 * A backend that answers a missing resource by failing the whole call (moto raises the resource's
 * own "not found") rather than in `FailedResourcesMap` cannot say which one it was: those resources
 * are then tagged one by one with their own services' calls, which can.
 */
async function tagResources(account: Account, arns: readonly string[], tags: readonly Tag[], mayBeGone: ReadonlySet<string>): Promise<Set<string>> {
  let failed: FailedTag[]
  try {
    failed = await taggingApi(account.clients.tagging).tagResources(arns, toTagMap(tags))
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err
    failed = await tagEachOnItsOwn(account, arns, tags, err)
  }
  const gone = new Set<string>()
  for (const { arn, error } of failed) {
    if (!(error instanceof NotFoundError) || !mayBeGone.has(arn)) throw error
    gone.add(arn)
  }
  return gone
}

/** Each resource tagged with its own service's call; answers those that failed and why. */
async function tagEachOnItsOwn(account: Account, arns: readonly string[], tags: readonly Tag[], batchError: unknown): Promise<FailedTag[]> {
  const tagOne = async (arn: string): Promise<void> => {
    switch (serviceOfArn(arn)) {
      case 'ecs':
        return ecsApi(account.clients.ecs).tagResource(arn, toEcsTags(tags))
      case 'logs':
        return logGroupsApi(account.clients.logs).tag(arn, toTagMap(tags))
      case 'secretsmanager':
        return credentialSecrets(account.clients.secretsManager).tag(arn, tags)
      default:
        throw batchError
    }
  }
  const settled = await settleWithConcurrency([...new Set(arns)], tagOne, CONCURRENCY)
  return settled.flatMap((s) => (s.ok ? [] : [{ arn: s.item, error: s.error }]))
}

/**
 * Puts `tags` on a task definition and what it uses: the revision, its secrets and the service
 * running it get them as they are; the cluster, log groups and role get the shared form. Two
 * Resource Groups Tagging API calls (one per form) and IAM TagRole, side by side. Resources that no
 * longer exist are skipped as before. Answers the ARNs of the log groups tagged.
 *
 * A role or log group this process knows exists (created or seen lately, `ExistingResources`) is
 * tagged straight away, without GetRole or DescribeLogGroups first: the tag call itself answers
 * "not found" for one deleted since, which is then skipped as the lookup would have had it.
 */
export async function applySpaceTags(account: Account, targets: SpaceTagTargets, tags: readonly Tag[]): Promise<string[]> {
  const iam = iamApi(account.clients.iam)
  const memory = existingResourcesOf(account)
  const roleTags = sharedTags(targets.roleName, tags)

  const tagRole = async (): Promise<void> => {
    if (targets.known?.roleExists !== true && memory?.hasRole(targets.roleName)) {
      try {
        await iam.tagRole(targets.roleName, roleTags)
      } catch (err) {
        // Deleted since: skipped, as GetRole finding nothing would have it, and forgotten.
        if (!(err instanceof NotFoundError)) throw err
        memory.forgetRole(targets.roleName)
      }
      return
    }
    if (targets.known?.roleExists !== true && !(await iam.getRole(targets.roleName))) return
    memory?.rememberRole(targets.roleName)
    await iam.tagRole(targets.roleName, roleTags)
  }

  // The cluster and the log groups, once each group's ARN is known (given, remembered or looked up).
  const tagShared = async (): Promise<string[]> => {
    const groups = await mapWithConcurrency(
      [...new Set(targets.logGroupNames)],
      async (name): Promise<{ name: string; arn: string; remembered: boolean } | undefined> => {
        const known = targets.known?.logGroupArns?.get(name)
        if (known) return { name, arn: known, remembered: false }
        const recent = memory?.logGroupArn(name)
        if (recent) return { name, arn: recent, remembered: true }
        const [arn] = await logGroupArnsOf(account, [name])
        return arn ? { name, arn, remembered: false } : undefined
      },
      CONCURRENCY,
    )
    const found = groups.flatMap((g) => (g ? [g] : []))
    const remembered = new Set(found.flatMap((g) => (g.remembered ? [g.arn] : [])))
    const gone = await tagResources(account, [targets.clusterArn, ...found.map((g) => g.arn)], sharedTags(targets.clusterName, tags), remembered)
    for (const g of found) if (gone.has(g.arn)) memory?.forgetLogGroup(g.name)
    return found.flatMap((g) => (gone.has(g.arn) ? [] : [g.arn]))
  }

  const own = [targets.taskDefinitionArn, ...targets.secretArns, ...(targets.serviceArn ? [targets.serviceArn] : [])]
  const [tagged] = await Promise.all([tagShared(), tagRole(), tagResources(account, own, tags, new Set())])
  return tagged
}
