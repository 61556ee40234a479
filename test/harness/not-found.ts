/**
 * Reading AWS state in tests: "absent" is an answer only when AWS says the resource does not exist.
 * Any other error (moto down, a wrong region, a throttle, a typo in the call) fails the test
 * instead of reading as "absent", which would let an assertion of absence pass for the wrong reason.
 *
 * No test-framework imports here (see ./moto.ts).
 */

/** SDK v3 error names of "no such resource" for the AWS calls the tests make. */
const NOT_FOUND_ERROR_NAMES = new Set([
  // Secrets Manager, CloudWatch Logs, Cloud Map (some operations)
  'ResourceNotFoundException',
  // SSM Parameter Store
  'ParameterNotFound',
  // IAM (wire code NoSuchEntity)
  'NoSuchEntityException',
  // ECS
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  // Cloud Map
  'ServiceNotFound',
  'NamespaceNotFound',
])

/** True when `err` is an AWS SDK error that says the resource does not exist. */
export function isAwsNotFound(err: unknown): boolean {
  return err instanceof Error && NOT_FOUND_ERROR_NAMES.has(err.name)
}

/** The call's answer, or `undefined` when AWS answers "not found"; any other error rejects. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call
  } catch (err) {
    if (isAwsNotFound(err)) return undefined
    throw err
  }
}

/** True when the call succeeds, false when AWS answers "not found"; any other error rejects. */
export async function existsInAws(call: Promise<unknown>): Promise<boolean> {
  try {
    await call
    return true
  } catch (err) {
    if (isAwsNotFound(err)) return false
    throw err
  }
}
