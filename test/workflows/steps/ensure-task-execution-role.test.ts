import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, ListRoleTagsCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import { ASSUME_ROLE_POLICY, taskExecutionPolicy } from '../../../src/workflows/resources/execution-role-policy.js'
import { rememberingLeftovers, type Leftover, type LeftoverScope } from '../../../src/workflows/rollback-finish.js'
import { defineWorkflow, WorkflowFailedError, type Step } from '../../../src/workflows/engine.js'
import { ensureTaskExecutionRole } from '../../../src/workflows/steps/ensure-task-execution-role.js'
import { TEST_ORG } from '../../harness/app.js'
import { existsInAws, unlessNotFound, useMotoReset } from '../../harness/index.js'
import { beforeSdkCall, failAfter, failSdkCall, injectedAwsError, moto, SPACE, testScope } from './space-fixtures.js'

useMotoReset()

const ROLE = `${SPACE}-ecsTaskExecution`
const POLICY = 'ECSTaskAccessPolicy'

async function policyOf(iam: ReturnType<typeof moto>['iam']): Promise<string | undefined> {
  const out = await unlessNotFound(iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: POLICY })))
  return out?.PolicyDocument === undefined ? undefined : decodeURIComponent(out.PolicyDocument)
}
async function roleExists(iam: ReturnType<typeof moto>['iam']): Promise<boolean> {
  return existsInAws(iam.send(new GetRoleCommand({ RoleName: ROLE })))
}
async function existingRole(iam: ReturnType<typeof moto>['iam'], policy?: string): Promise<void> {
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: ASSUME_ROLE_POLICY }))
  if (policy) await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: POLICY, PolicyDocument: policy }))
}
const rollBack = async (scope: Awaited<ReturnType<typeof testScope>>) => {
  const err = await defineWorkflow('wf', [ensureTaskExecutionRole, failAfter(ensureTaskExecutionRole)])
    .run(scope)
    .catch((e: unknown) => e)
  expect(err).toBeInstanceOf(WorkflowFailedError)
  return (err as WorkflowFailedError).report
}

describe('ensure-task-execution-role', () => {
  it('creates the role with the default policy and the run tags; both serve as execution and task role', async () => {
    const { iam } = moto()
    const result = await defineWorkflow('wf', [ensureTaskExecutionRole]).run(await testScope())
    const out = result.outputOf(ensureTaskExecutionRole)
    expect(out).toEqual({ roleName: ROLE, roleArn: `arn:aws:iam::123456789012:role/${ROLE}` })

    const role = (await iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role
    expect(role?.Description).toBe(`ECS task execution role for ${TEST_ORG}/${SPACE}`)
    expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''))).toEqual(JSON.parse(ASSUME_ROLE_POLICY))
    const policy = JSON.parse((await policyOf(iam)) ?? '')
    expect(policy).toEqual(taskExecutionPolicy(TEST_ORG, SPACE, 'alias/test-key'))
    expect(policy.Statement[1].Resource).toEqual([
      `arn:aws:secretsmanager:*:*:secret:spinup/${TEST_ORG}/${SPACE}/*`,
      `arn:aws:ssm:*:*:parameter/${TEST_ORG}/${SPACE}/*`,
      'arn:aws:kms:*:*:key/alias/test-key',
    ])
    const tags = (await iam.send(new ListRoleTagsCommand({ RoleName: ROLE }))).Tags
    expect(tags).toContainEqual({ Key: 'spinup:org', Value: TEST_ORG })
    expect(tags).toContainEqual({ Key: 'Application', Value: 'demo' })
  })

  it('rollback deletes the role and policy it created', async () => {
    const { iam } = moto()
    const report = await rollBack(await testScope())
    expect(report.rolledBack).toEqual(['ensure-task-execution-role'])
    expect(await roleExists(iam)).toBe(false)
  })

  it('leaves an equal policy alone, however it is spelled (order, string or list)', async () => {
    const { iam } = moto()
    const wanted = taskExecutionPolicy(TEST_ORG, SPACE, 'alias/test-key')
    const respelled = {
      Statement: [...wanted.Statement].reverse().map((s) => ({
        ...s,
        Action: s.Action.length === 1 ? s.Action[0] : [...s.Action].reverse(),
        Resource: s.Resource.length === 1 ? s.Resource[0] : [...s.Resource].reverse(),
      })),
      Version: '2012-10-17',
    }
    const text = JSON.stringify(respelled)
    await existingRole(iam, text)
    const report = await rollBack(await testScope())
    expect(report.nothingToUndo).toEqual(['ensure-task-execution-role'])
    expect(await policyOf(iam)).toBe(text)
  })

  it('rewrites a different policy and rollback restores it', async () => {
    const { iam } = moto()
    const old = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] })
    await existingRole(iam, old)
    const scope = await testScope()
    await defineWorkflow('wf', [ensureTaskExecutionRole]).run(scope)
    expect(JSON.parse((await policyOf(iam)) ?? '')).toEqual(taskExecutionPolicy(TEST_ORG, SPACE, 'alias/test-key'))

    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: POLICY, PolicyDocument: old }))
    const report = await rollBack(scope)
    expect(report.rolledBack).toEqual(['ensure-task-execution-role'])
    expect(await policyOf(iam)).toBe(old)
    expect(await roleExists(iam)).toBe(true)
  })

  it('adds a missing policy to an existing role; rollback removes only the policy', async () => {
    const { iam } = moto()
    await existingRole(iam)
    const report = await rollBack(await testScope())
    expect(report.rolledBack).toEqual(['ensure-task-execution-role'])
    expect(await policyOf(iam)).toBeUndefined()
    expect(await roleExists(iam)).toBe(true)
  })

  it('a policy write that fails after the create (injected PutRolePolicy failure) has the rollback delete the new role', async () => {
    const { iam } = moto()
    const scope = await testScope()
    failSdkCall(scope.account, 'iam', 'PutRolePolicy', injectedAwsError('ServiceFailure', 500), { times: 1 })
    const err = await defineWorkflow('wf', [ensureTaskExecutionRole]).run(scope).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    const { report, status } = err as WorkflowFailedError
    // The step's own failure decides the answer (IAM's 500 is an upstream outage).
    expect(status).toBe(503)
    expect(report.failedStep).toBe('ensure-task-execution-role')
    expect(report.rolledBack).toEqual(['ensure-task-execution-role'])
    expect(await roleExists(iam)).toBe(false)
  })

  it('when deleting that half-made role fails too (injected PutRolePolicy and DeleteRole failures), the rollback reports it and hands it over', async () => {
    const { iam } = moto()
    const leftovers: Leftover[] = []
    const scope: Awaited<ReturnType<typeof testScope>> & LeftoverScope = { ...(await testScope()), leftovers }
    failSdkCall(scope.account, 'iam', 'PutRolePolicy', injectedAwsError('ServiceFailure', 500), { times: 1 })
    failSdkCall(scope.account, 'iam', 'DeleteRole', injectedAwsError('ServiceFailure', 500), { times: 1 })
    const err = await defineWorkflow('wf', rememberingLeftovers([ensureTaskExecutionRole as Step<unknown, unknown, typeof scope>])).run(scope).catch((e: unknown) => e)
    const { report } = err as WorkflowFailedError
    expect(report.failedStep).toBe('ensure-task-execution-role')
    expect(report.rolledBack).toEqual([])
    expect(report.rollbackFailures.map((f) => f.step)).toEqual(['ensure-task-execution-role'])
    expect(await roleExists(iam)).toBe(true)
    expect(leftovers).toEqual([{ step: 'ensure-task-execution-role', compensation: { roleName: ROLE, createdRole: true } }])
    await ensureTaskExecutionRole.compensate?.(leftovers[0]?.compensation as never, { scope })
    expect(await roleExists(iam)).toBe(false)
  })

  it('reuses a role another request creates between its lookup and its create (EntityAlreadyExists; the race is staged with an SDK-level hook before CreateRole)', async () => {
    const { iam } = moto()
    const scope = await testScope()
    beforeSdkCall(scope.account, 'iam', 'CreateRole', () => existingRole(iam))
    const result = await defineWorkflow('wf', [ensureTaskExecutionRole]).run(scope)
    expect(result.outputOf(ensureTaskExecutionRole)).toEqual({ roleName: ROLE, roleArn: `arn:aws:iam::123456789012:role/${ROLE}` })
    expect(JSON.parse((await policyOf(iam)) ?? '')).toEqual(taskExecutionPolicy(TEST_ORG, SPACE, 'alias/test-key'))
  })

  it("a rollback after reusing a concurrently created role leaves the role and its policy to their creator (race staged with an SDK-level hook before CreateRole)", async () => {
    const { iam } = moto()
    const scope = await testScope()
    beforeSdkCall(scope.account, 'iam', 'CreateRole', () => existingRole(iam))
    const report = await rollBack(scope)
    expect(report.nothingToUndo).toEqual(['ensure-task-execution-role'])
    expect(await roleExists(iam)).toBe(true)
    expect(JSON.parse((await policyOf(iam)) ?? '')).toEqual(taskExecutionPolicy(TEST_ORG, SPACE, 'alias/test-key'))
  })
})
