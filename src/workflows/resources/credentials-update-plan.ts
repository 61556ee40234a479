import type { ContainerDefinition } from '@aws-sdk/client-ecs'
import type { CredentialEntry } from '../steps/create-repository-credentials.js'
import type { SecretValue } from '../../aws/credential-secrets.js'
import { secretArnUnder } from '../../core/credential-names.js'

/**
 * The repository-credentials rule of an update, one for both the task-definition update and the
 * service update. Each container of the new revision is matched by name against the revision in use:
 *
 * - `repositoryCredentials` left out: a container that has a secret keeps it. Clients send back task
 *   definitions without the ARNs ECS filled in (the seed's update examples do); the original deleted
 *   the secret then, and the next image pull of the running service failed.
 * - `repositoryCredentials` naming an ARN: a container that has a secret keeps its own (an ARN sent
 *   never moves it to another secret); one without a secret uses the ARN, which must be a secret of
 *   the space (validation checks it).
 * - `"repositoryCredentials": {}`: the container drops its secret. The secret is deleted only once
 *   the new revision is in use (registered, and for a service, running), never before.
 * - a `credentials` entry: the container's secret gets that value: its current secret is
 *   overwritten, or a new `spinup/<org>/<cluster>/<name>` is created. An entry wins over `{}`, as
 *   giving credentials and dropping them at once can only mean the credentials.
 * - a current secret outside the space's path is moved into it (the entry's value, or else a copy
 *   of the old value) and the old secret is retired like a dropped one.
 *
 * Containers of the current revision that the new one leaves out are left alone: older revisions
 * still reference their secrets, which deleting the family removes.
 */

/** What the update does with one container's credentials. Nothing is deleted by an action. */
export type CredentialAction =
  /** Reference the secret as it is. */
  | { kind: 'keep'; container: string; arn: string }
  /** Store a new value in the container's secret. */
  | { kind: 'put'; container: string; arn: string; value: SecretValue }
  /** Create the container's first secret. */
  | { kind: 'create'; container: string; entry: CredentialEntry }
  /**
   * Move a secret that lives outside the space's path into it: create `<prefix><last part of its
   * name>` from the entry or, without one, from the old secret's value.
   */
  | { kind: 'migrate'; container: string; oldArn: string; entry: CredentialEntry | undefined }

export interface CredentialsPlan {
  readonly prefix: string
  readonly actions: readonly CredentialAction[]
  /** Secrets the new revision no longer references, deleted once it is in use. */
  readonly retire: readonly string[]
}

function credentialArns(containers: readonly ContainerDefinition[]): Map<string, string> {
  const arns = new Map<string, string>()
  for (const c of containers) {
    const arn = c.repositoryCredentials?.credentialsParameter
    if (c.name && arn) arns.set(c.name, arn)
  }
  return arns
}

/** `"repositoryCredentials": {}` (no ARN in it): the client drops the container's secret. */
function drops(container: ContainerDefinition): boolean {
  return container.repositoryCredentials !== undefined && !container.repositoryCredentials.credentialsParameter
}

/** The ARN a container references by the rule, before any credentials entry: its own, the one sent, or none. */
function referencedArn(container: ContainerDefinition, had: string | undefined): string | undefined {
  if (drops(container)) return undefined
  return had ?? container.repositoryCredentials?.credentialsParameter
}

/**
 * The requested containers with the rule applied to what they reference: a container that has a
 * secret names it (whether the body left `repositoryCredentials` out or named another ARN); `{}`
 * stays, so the plan still sees the drop. Validation runs on this, so an ARN the rule replaces is
 * never judged.
 */
export function withCurrentCredentials(
  current: readonly ContainerDefinition[],
  requested: readonly ContainerDefinition[],
): ContainerDefinition[] {
  const had = credentialArns(current)
  return requested.map((container) => {
    const arn = referencedArn(container, had.get(container.name ?? ''))
    return arn ? { ...container, repositoryCredentials: { credentialsParameter: arn } } : container
  })
}

/** The new revision's containers as registered: their credentials come from the plan, never from the body. */
export function withoutRepositoryCredentials(containers: readonly ContainerDefinition[]): ContainerDefinition[] {
  return containers.map(({ repositoryCredentials: _fromBody, ...container }) => container)
}

function valueOf(entry: CredentialEntry): SecretValue {
  return entry.SecretBinary !== undefined ? { SecretBinary: entry.SecretBinary } : { SecretString: entry.SecretString ?? '' }
}

/**
 * Plans the credentials of the new revision's containers against the current revision's, by the
 * rule above. Gives the same plan for the body as sent and for `withCurrentCredentials` of it.
 */
export function planCredentialUpdate(
  current: readonly ContainerDefinition[],
  input: readonly ContainerDefinition[],
  credentials: Readonly<Record<string, CredentialEntry>> | undefined,
  prefix: string,
): CredentialsPlan {
  const currentArns = credentialArns(current)
  const actions: CredentialAction[] = []
  const retire: string[] = []
  for (const container of input) {
    const name = container.name ?? ''
    const had = currentArns.get(name)
    const entry = credentials?.[name]
    if (had && drops(container) && !entry) {
      retire.push(had)
      continue
    }
    const arn = referencedArn(container, had) ?? (entry ? had : undefined)
    if (arn && !secretArnUnder(arn, prefix)) {
      actions.push({ kind: 'migrate', container: name, oldArn: arn, entry })
      retire.push(arn)
    } else if (arn && entry) actions.push({ kind: 'put', container: name, arn, value: valueOf(entry) })
    else if (arn) actions.push({ kind: 'keep', container: name, arn })
    else if (entry) actions.push({ kind: 'create', container: name, entry })
  }
  return { prefix, actions, retire: [...new Set(retire)] }
}
