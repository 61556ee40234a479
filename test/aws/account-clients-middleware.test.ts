import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import type { DeserializeMiddleware, MetadataBearer } from '@smithy/types'
import { mockClient } from 'aws-sdk-client-mock'
import { STSClient } from '@aws-sdk/client-sts'
import { describe, expect, it } from 'vitest'
import { useMotoReset } from '../harness/index.js'
import { mainAccount } from '../workflows/steps/space-fixtures.js'

useMotoReset()

/** Entries a command's own stack holds (the SDK adds the command's middleware when it resolves it). */
function ownEntries(command: { middlewareStack: { applyToStack(stack: never): void } }): number {
  let entries = 0
  const count = (): void => void entries++
  command.middlewareStack.applyToStack({ add: count, addRelativeTo: count } as never)
  return entries
}

describe("an account's clients and their middleware stack (resolved once per command class)", () => {
  it('resolve the stack once per command class: a second call of the class reuses the first resolution', async () => {
    const { sts } = (await mainAccount()).clients
    const first = new GetCallerIdentityCommand({})
    const second = new GetCallerIdentityCommand({})
    await sts.send(first)
    await sts.send(second)
    expect(ownEntries(first)).toBeGreaterThan(0)
    expect(ownEntries(second)).toBe(0)
  })

  it('a middleware added to a client after its first call takes effect on the next call', async () => {
    const { sts } = (await mainAccount()).clients
    await sts.send(new GetCallerIdentityCommand({}))
    const seen: string[] = []
    sts.middlewareStack.add(
      (next, ctx) => async (args) => {
        seen.push(ctx.commandName ?? '')
        return next(args)
      },
      { step: 'initialize', name: 'seen-late' },
    )
    await sts.send(new GetCallerIdentityCommand({}))
    await sts.send(new GetCallerIdentityCommand({}))
    expect(seen).toEqual(['GetCallerIdentityCommand', 'GetCallerIdentityCommand'])
    sts.middlewareStack.remove('seen-late')
    await sts.send(new GetCallerIdentityCommand({}))
    expect(seen).toHaveLength(2)
  })

  it("a command's own middleware runs for that command only, also after calls of its class without one", async () => {
    const { sts } = (await mainAccount()).clients
    await sts.send(new GetCallerIdentityCommand({}))
    const marked: string[] = []
    const marking = new GetCallerIdentityCommand({})
    const mark: DeserializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
      marked.push('marking')
      return next(args)
    }
    marking.middlewareStack.addRelativeTo(mark, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'mark' })
    // Placed relative to a middleware the command's stack does not hold until the SDK resolves it.
    expect(marking.middlewareStack.identify()).toEqual([])
    expect((await sts.send(marking)).Account).toBe('123456789012')
    await sts.send(new GetCallerIdentityCommand({}))
    expect(marked).toEqual(['marking'])
  })

  it('a test double put on the client class after the clients exist answers their calls (SDK mock)', async () => {
    const { sts } = (await mainAccount()).clients
    await sts.send(new GetCallerIdentityCommand({}))
    const mock = mockClient(STSClient)
    try {
      mock.on(GetCallerIdentityCommand).resolves({ Account: '000000000000' })
      expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000')
    } finally {
      mock.restore()
    }
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012')
  })
})
