import type { ContainerDefinition, LoadBalancer, NetworkConfiguration } from '@aws-sdk/client-ecs'
import type { Account } from '../../aws/account-clients.js'
import type { NamedPolicy } from '../../core/iam-policy-evaluation.js'
import type { CheckResult } from '../../core/plan/plan-types.js'

/** A repository-credentials entry the request would store (its secret does not exist yet). */
export interface NewCredential {
  /** The secret's name (`spinup/<org>/<cluster>/<name>`). */
  name: string
  SecretString?: string | undefined
  SecretBinary?: Uint8Array | undefined
}

/**
 * What the preflight checks look at: the task definition and service as they run now (`/verify`) or
 * as the request would send them (`verify=true`), and what the request itself would create.
 */
export interface CheckSubject {
  clusterName: string
  taskDefinition: {
    cpu?: string | undefined
    memory?: string | undefined
    containerDefinitions?: ContainerDefinition[] | undefined
  }
  /** Absent for a task-definition request: no network or load balancer to check. */
  service?: { networkConfiguration?: NetworkConfiguration | undefined; loadBalancers?: LoadBalancer[] | undefined } | undefined
  /** The execution role's policy documents as they would be; undefined: the role does not exist (and will not). */
  rolePolicies: () => Promise<NamedPolicy[] | undefined>
  /** Secrets the request would create, by container name. */
  newCredentials: Readonly<Record<string, NewCredential>>
  /** Log groups the request would create (the space's group). */
  logGroupsCreated: ReadonlySet<string>
}

/**
 * The image lookup the image checks make: the registry's answer for a reference, with the
 * container's credentials when it has them (the image-check use case's checker is one).
 */
export interface ImageLookup {
  check(image: string, registryAuthHeader: string | undefined): Promise<{ digest?: string | undefined }>
}

/** What the checks need besides the subject. */
export interface CheckDeps {
  account: Account
  org: string
  images: ImageLookup
}

export function pass(Check: string, Resource: string, Field: string, Reason?: string): CheckResult {
  return { Check, Status: 'pass', Resource, Field, ...(Reason ? { Reason } : {}) }
}
export function fail(Check: string, Resource: string, Field: string, Reason: string): CheckResult {
  return { Check, Status: 'fail', Resource, Field, Reason }
}
export function skipped(Check: string, Resource: string, Field: string, Reason: string): CheckResult {
  return { Check, Status: 'skipped', Resource, Field, Reason }
}

/** The message of a failure a check turns into its reason (never a secret: errors carry none). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const containerField = (i: number, rest: string) => `taskDefinition.containerDefinitions[${i}].${rest}`
