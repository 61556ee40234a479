/**
 * Checks of the task-definition part of create and update bodies, run before the first AWS write so
 * bad input is a 400 naming the field and nothing is created. Shared by task-definition and service
 * orchestrations.
 */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs'
import type { CredentialEntry } from '../../workflows/steps/create-repository-credentials.js'
import { ECS_NAME } from '../../core/ecs-name.js'
import { InputError } from '../../core/errors.js'
import { checkReplicaRegions } from '../../aws/secret-rules.js'
import { MAX_CLUSTER_NAME_FOR_ROLE } from '../../workflows/resources/execution-role-policy.js'
import { fargateSizeProblem } from '../../aws/fargate-sizes.js'
import { secretArnUnder } from '../../core/credential-names.js'

/** Secrets Manager secret names. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/
const MAX_SECRET_NAME = 512

function bad(path: string, problem: string): InputError {
  return new InputError(`${path} ${problem}`)
}

/** The cluster name of a body's `cluster` member; it also names the log group, role and secret path. */
export function requireClusterName(clusterName: unknown, path: string): string {
  if (typeof clusterName !== 'string' || clusterName === '') throw bad(path, 'is required')
  if (!ECS_NAME.test(clusterName)) throw bad(path, 'may only hold letters, digits, - and _ (1 to 255)')
  if (clusterName.length > MAX_CLUSTER_NAME_FOR_ROLE) {
    throw bad(path, `is at most ${MAX_CLUSTER_NAME_FOR_ROLE} characters, so its task execution role name fits IAM`)
  }
  return clusterName
}

export interface TaskDefinitionRules {
  /** JSON path of the task definition in the body, for messages (e.g. `taskDefinition`). */
  path: string
  /** Secrets a container may name in `repositoryCredentials` must live under this prefix... */
  secretPrefix: string
  /** ...or be one of these (on an update: the secrets the current revision already uses). */
  allowedSecretArns?: ReadonlySet<string>
}

function checkContainer(container: ContainerDefinition, path: string, rules: TaskDefinitionRules): void {
  if (!container.name) throw bad(`${path}.name`, 'is required')
  if (!ECS_NAME.test(container.name)) throw bad(`${path}.name`, 'may only hold letters, digits, - and _ (1 to 255)')
  if (!container.image?.trim()) throw bad(`${path}.image`, 'is required')
  const arn = container.repositoryCredentials?.credentialsParameter
  // A container may only point at its space's credential secrets: the execution role can read no
  // others, and deleting the task definition deletes the secrets it references.
  if (arn !== undefined && !secretArnUnder(arn, rules.secretPrefix) && !rules.allowedSecretArns?.has(arn)) {
    throw bad(`${path}.repositoryCredentials.credentialsParameter`, `must be a secret named ${rules.secretPrefix}...`)
  }
}

/** Validates a task definition body for Fargate. */
export function validateTaskDefinition(
  td: RegisterTaskDefinitionCommandInput | undefined,
  rules: TaskDefinitionRules,
): asserts td is RegisterTaskDefinitionCommandInput {
  const { path } = rules
  if (!td) throw bad(path, 'is required')
  if (!td.family) throw bad(`${path}.family`, 'is required')
  if (!ECS_NAME.test(td.family)) throw bad(`${path}.family`, 'may only hold letters, digits, - and _ (1 to 255)')
  if (!td.cpu) throw bad(`${path}.cpu`, 'is required for Fargate')
  if (!td.memory) throw bad(`${path}.memory`, 'is required for Fargate')
  const size = fargateSizeProblem(td.cpu, td.memory)
  if (size) throw bad(`${path}.cpu/memory`, `invalid: ${size}`)
  const containers = td.containerDefinitions ?? []
  if (containers.length === 0) throw bad(`${path}.containerDefinitions`, 'needs at least one container')
  const seen = new Set<string>()
  containers.forEach((container, i) => {
    const where = `${path}.containerDefinitions[${i}]`
    checkContainer(container, where, rules)
    if (seen.has(container.name ?? '')) throw bad(`${where}.name`, `${container.name ?? ''} is used twice`)
    seen.add(container.name ?? '')
  })
}

/** The value part of a credentials entry: exactly one of SecretString and SecretBinary. */
function checkSecretValue(entry: CredentialEntry, path: string): void {
  const has = (entry.SecretString !== undefined ? 1 : 0) + (entry.SecretBinary !== undefined ? 1 : 0)
  if (has !== 1) throw bad(path, 'needs exactly one of SecretString and SecretBinary')
}

/**
 * Validates the credentials map against the task definition: every key names one of its containers,
 * every entry has one value and names only well-formed replica regions, and the secret names are
 * valid and distinct.
 */
export function validateCredentials(
  credentials: Readonly<Record<string, CredentialEntry>> | undefined,
  containers: readonly ContainerDefinition[],
  rules: { path: string; secretPrefix: string },
): void {
  const names = new Set(containers.map((c) => c.name))
  const secretNames = new Map<string, string>()
  for (const [container, entry] of Object.entries(credentials ?? {})) {
    const where = `${rules.path}.${container}`
    if (!names.has(container)) throw bad(where, `names no container of the task definition`)
    checkSecretValue(entry, where)
    checkReplicaRegions(entry.AddReplicaRegions, `${where}.AddReplicaRegions`)
    const name = entry.Name ?? container
    if (!SECRET_NAME.test(name)) throw bad(`${where}.Name`, 'may only hold letters, digits and /_+=.@-')
    if ((rules.secretPrefix + name).length > MAX_SECRET_NAME) throw bad(`${where}.Name`, 'is too long')
    const other = secretNames.get(name)
    if (other !== undefined) throw bad(`${where}.Name`, `${name} is also the secret name of ${other}`)
    secretNames.set(name, container)
  }
}
