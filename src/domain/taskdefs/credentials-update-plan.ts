import type { ContainerDefinition } from '@aws-sdk/client-ecs'
import type { CredentialEntry } from '../../workflows/steps/create-repository-credentials.js'
import type { SecretValue } from './credential-secrets.js'
import { secretArnUnder } from './validate.js'

/**
 * What an update does with each container's repository credentials (the original's algorithm, with
 * its order fixed: nothing is deleted here, retired secrets are deleted only after the new revision
 * is registered).
 */
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
  /** Secrets the new revision no longer references, deleted once it is registered. */
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

function valueOf(entry: CredentialEntry): SecretValue {
  return entry.SecretBinary !== undefined ? { SecretBinary: entry.SecretBinary } : { SecretString: entry.SecretString ?? '' }
}

/**
 * Plans the credentials of the new revision's containers against the current revision's, by
 * container name. A container that had a secret keeps referencing it (whatever ARN the client sent);
 * one that had a secret and now names neither an ARN nor an entry loses it (the secret is retired).
 * Containers of the current revision that the new one drops are left alone: older revisions still
 * reference their secrets, which the family delete removes.
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
    const given = container.repositoryCredentials?.credentialsParameter
    const entry = credentials?.[name]
    if (had && !given && !entry) {
      retire.push(had)
      continue
    }
    const arn = had ?? given
    if (arn && !secretArnUnder(arn, prefix)) {
      actions.push({ kind: 'migrate', container: name, oldArn: arn, entry })
      retire.push(arn)
    } else if (arn && entry) actions.push({ kind: 'put', container: name, arn, value: valueOf(entry) })
    else if (arn) actions.push({ kind: 'keep', container: name, arn })
    else if (entry) actions.push({ kind: 'create', container: name, entry })
  }
  return { prefix, actions, retire: [...new Set(retire)] }
}
