import type { CreateRoleInput, Iam } from '../../aws/iam.js'
import { awsCodeOf } from '../../aws/translate-error.js'
import { StepFailedError } from '../step.js'

/**
 * The role steps' shared part: a role with one inline policy, made when missing. What a role step
 * undoes is the role this run created, or the policy it added (previous undefined) or replaced.
 */
export type RoleCompensation =
  | { roleName: string; createdRole: true }
  | { roleName: string; createdRole: false; previousPolicy: string | undefined }

// IAM's wire code; the SDK names the same error EntityAlreadyExistsException.
const ALREADY_EXISTS = new Set(['EntityAlreadyExists', 'EntityAlreadyExistsException'])

/**
 * Creates the role and puts its inline policy; undefined when the role turned out to exist already
 * (a concurrent request made it), for the caller to reuse. A policy that cannot be put leaves a
 * half-made role, which the rollback deletes (and reports, handing over a delete that fails).
 */
export async function createRoleWithPolicy(
  iam: Iam,
  role: CreateRoleInput,
  policyName: string,
  policy: string,
): Promise<string | undefined> {
  let created
  try {
    created = await iam.createRole(role)
  } catch (err) {
    if (ALREADY_EXISTS.has(awsCodeOf(err) ?? '')) return undefined
    throw err
  }
  try {
    await iam.putRolePolicy(role.name, policyName, policy)
  } catch (err) {
    const compensation: RoleCompensation = { roleName: role.name, createdRole: true }
    throw new StepFailedError(err, { compensation })
  }
  return created.Arn ?? ''
}
