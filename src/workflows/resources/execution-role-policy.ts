/**
 * The task execution role of a space (`<cluster>-ecsTaskExecution`) and its inline policy
 * `ECSTaskAccessPolicy`: what ECS needs to pull images, write logs, read the space's secrets and
 * parameters, and mount the space's EFS volumes.
 */

import type { AccountHome } from '../../aws/account-home.js'

export const TASK_EXECUTION_POLICY_NAME = 'ECSTaskAccessPolicy'
const ROLE_SUFFIX = '-ecsTaskExecution'
/** IAM role names are at most 64 characters. */
export const MAX_ROLE_NAME = 64
/** The longest cluster name whose execution role name still fits IAM. */
export const MAX_CLUSTER_NAME_FOR_ROLE = MAX_ROLE_NAME - ROLE_SUFFIX.length

export function taskExecutionRoleName(cluster: string): string {
  return `${cluster}${ROLE_SUFFIX}`
}

/** The ARN of the role as this API makes it (path `/`) in the account `home`. */
export function taskExecutionRoleArn(cluster: string, home: AccountHome): string {
  return `arn:${home.partition}:iam::${home.accountId}:role/${taskExecutionRoleName(cluster)}`
}

export function taskExecutionRoleDescription(org: string, cluster: string): string {
  return `ECS task execution role for ${org}/${cluster}`
}

interface Statement {
  Effect: 'Allow' | 'Deny'
  Action: string[]
  Resource: string[]
  Condition?: Record<string, Record<string, string[]>>
}

export interface PolicyDocument {
  Version: string
  Statement: Statement[]
}

/** The default policy of a space, built from the org, the cluster and the account's KMS key. */
export function taskExecutionPolicy(org: string, cluster: string, kmsKeyId: string | undefined): PolicyDocument {
  const path = `${org}/${cluster}`
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'ecr:GetAuthorizationToken',
          'ecr:BatchCheckLayerAvailability',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchGetImage',
        ],
        Resource: ['*'],
      },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'ssm:GetParameters', 'kms:Decrypt'],
        Resource: [
          `arn:aws:secretsmanager:*:*:secret:spinup/${path}/*`,
          `arn:aws:ssm:*:*:parameter/${path}/*`,
          `arn:aws:kms:*:*:key/${kmsKeyId ?? ''}`,
        ],
      },
      {
        Effect: 'Allow',
        Action: ['elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientMount'],
        Resource: ['*'],
        Condition: {
          Bool: { 'elasticfilesystem:AccessedViaMountTarget': ['true'] },
          StringEqualsIgnoreCase: {
            'aws:ResourceTag/spinup:org': ['${aws:PrincipalTag/spinup:org}'],
            'aws:ResourceTag/spinup:spaceid': ['${aws:PrincipalTag/spinup:spaceid}'],
          },
        },
      },
    ],
  }
}

/** Lets ECS tasks assume the role. */
export const ASSUME_ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: ['ecs-tasks.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
})

/** Parses a policy document; undefined when it is not JSON. */
export function parsePolicy(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * Whether two policy documents grant the same thing (the original compared them in a way that was
 * never true, and so rewrote the policy on every request). IAM reads a single string and a list of
 * one alike, and every list in a policy is a set, so both are normalised before comparing.
 */
export function policiesEqual(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false
  return JSON.stringify(canonicalPolicy(a)) === JSON.stringify(canonicalPolicy(b))
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])
const LIST_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource'])

function canonicalPolicy(policy: unknown): unknown {
  if (policy === null || typeof policy !== 'object') return policy
  const p = policy as Record<string, unknown>
  const statements = p.Statement === undefined ? [] : asList(p.Statement)
  return sorted({ ...p, Statement: statements.map(canonicalStatement) })
}

function canonicalStatement(statement: unknown): unknown {
  if (statement === null || typeof statement !== 'object') return statement
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(statement)) {
    if (key === 'Sid' && value === '') continue
    if (LIST_KEYS.has(key)) out[key] = asList(value)
    else if ((key === 'Condition' || key === 'Principal' || key === 'NotPrincipal') && isRecord(value)) {
      // Condition: operator -> key -> value(s); Principal: kind -> id(s). The leaves are lists.
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          key === 'Condition' && isRecord(v) ? Object.fromEntries(Object.entries(v).map(([ck, cv]) => [ck, asList(cv)])) : asList(v),
        ]),
      )
    } else out[key] = value
  }
  return out
}

/** Object keys in order and every list as a sorted set, so equal policies serialise alike. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = [...new Set(value.map((v) => JSON.stringify(sorted(v))))].sort()
    return items.map((s) => JSON.parse(s) as unknown)
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]))
  }
  return value
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
