import {
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { describe, expect, it } from 'vitest'
import { rememberingLeftovers, type Leftover, type LeftoverScope } from '../../../src/workflows/rollback-finish.js'
import { defineWorkflow, WorkflowFailedError, type Step } from '../../../src/workflows/engine.js'
import { ensureLogGroup } from '../../../src/workflows/steps/ensure-log-group.js'
import { TEST_ORG } from '../../harness/app.js'
import { useMotoReset } from '../../harness/index.js'
import { failAfter, failSdkCall, injectedAwsError, moto, SPACE, testScope } from './space-fixtures.js'

useMotoReset()

type Logs = ReturnType<typeof moto>['logs']
interface InjectableClient {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'low'; name: string },
    ): void
  }
}
async function group(logs: Logs, name = SPACE) {
  const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))
  return out.logGroups?.find((g) => g.logGroupName === name)
}
const rollBack = async () => {
  const err = await defineWorkflow('wf', [ensureLogGroup, failAfter(ensureLogGroup)])
    .run(await testScope())
    .catch((e: unknown) => e)
  expect(err).toBeInstanceOf(WorkflowFailedError)
  return (err as WorkflowFailedError).report
}

describe('ensure-log-group', () => {
  it('creates the group <cluster> with 365-day retention and the run tags', async () => {
    const { logs } = moto()
    const result = await defineWorkflow('wf', [ensureLogGroup]).run(await testScope())
    expect(result.outputOf(ensureLogGroup)).toEqual({
      logGroupName: SPACE,
      logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${SPACE}`,
    })
    expect((await group(logs))?.retentionInDays).toBe(365)
    const tags = (await logs.send(new ListTagsForResourceCommand({ resourceArn: result.outputOf(ensureLogGroup).logGroupArn }))).tags
    expect(tags).toMatchObject({ 'spinup:org': TEST_ORG, 'spinup:spaceid': SPACE, Application: 'demo' })
  })

  it('a retention call that fails after the create (injected: moto cannot refuse it) leaves no group behind', async () => {
    const { logs } = moto()
    const scope = await testScope()
    ;(scope.account.clients.logs as unknown as InjectableClient).middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName === 'PutRetentionPolicyCommand') throw Object.assign(new Error('throttled (injected)'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } })
        return next(args)
      },
      { step: 'initialize', priority: 'low', name: 'fail-put-retention' },
    )
    const err = await defineWorkflow('wf', [ensureLogGroup]).run(scope).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    expect((err as WorkflowFailedError).report.failedStep).toBe('ensure-log-group')
    expect(await group(logs)).toBeUndefined()
  })

  it('rollback deletes the group it created', async () => {
    const { logs } = moto()
    expect((await rollBack()).rolledBack).toEqual(['ensure-log-group'])
    expect(await group(logs)).toBeUndefined()
  })

  it('looks the group up by exact name: a group whose name extends the space name is not it', async () => {
    const { logs } = moto()
    await logs.send(new CreateLogGroupCommand({ logGroupName: `${SPACE}0` }))
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: `${SPACE}0`, retentionInDays: 365 }))
    await defineWorkflow('wf', [ensureLogGroup]).run(await testScope())
    expect((await group(logs))?.retentionInDays).toBe(365)
  })

  it('reuses a group that already keeps 365 days, and rollback leaves it', async () => {
    const { logs } = moto()
    await logs.send(new CreateLogGroupCommand({ logGroupName: SPACE }))
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: SPACE, retentionInDays: 365 }))
    expect((await rollBack()).nothingToUndo).toEqual(['ensure-log-group'])
    expect((await group(logs))?.retentionInDays).toBe(365)
  })

  it('sets 365 days on an existing group and rollback restores its retention', async () => {
    const { logs } = moto()
    await logs.send(new CreateLogGroupCommand({ logGroupName: SPACE }))
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: SPACE, retentionInDays: 30 }))
    expect((await rollBack()).rolledBack).toEqual(['ensure-log-group'])
    expect((await group(logs))?.retentionInDays).toBe(30)
  })

  it('rollback removes the retention it added to a group that never expired', async () => {
    const { logs } = moto()
    await logs.send(new CreateLogGroupCommand({ logGroupName: SPACE }))
    await rollBack()
    const g = await group(logs)
    expect(g).toBeDefined()
    expect(g?.retentionInDays).toBeUndefined()
  })

  it('when deleting the group after a failed retention call fails too (injected PutRetentionPolicy and DeleteLogGroup failures), the rollback reports it and hands it over', async () => {
    const { logs } = moto()
    const leftovers: Leftover[] = []
    const scope: Awaited<ReturnType<typeof testScope>> & LeftoverScope = { ...(await testScope()), leftovers }
    failSdkCall(scope.account, 'logs', 'PutRetentionPolicy', injectedAwsError('ServiceUnavailableException', 503), { times: 1 })
    failSdkCall(scope.account, 'logs', 'DeleteLogGroup', injectedAwsError('ServiceUnavailableException', 503), { times: 1 })
    const err = await defineWorkflow('wf', rememberingLeftovers([ensureLogGroup as Step<unknown, unknown, typeof scope>])).run(scope).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    const { report } = err as WorkflowFailedError
    expect(report.failedStep).toBe('ensure-log-group')
    expect(report.rolledBack).toEqual([])
    expect(report.rollbackFailures.map((f) => f.step)).toEqual(['ensure-log-group'])
    expect(await group(logs)).toBeDefined()
    expect(leftovers).toEqual([{ step: 'ensure-log-group', compensation: { logGroupName: SPACE, created: true } }])
    await ensureLogGroup.compensate?.(leftovers[0]?.compensation as never, { scope })
    expect(await group(logs)).toBeUndefined()
  })
})
