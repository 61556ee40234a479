/** An account's partition and id, for ARNs built from names: from the config, else STS once per account. */
import { describe, expect, it } from 'vitest'
import { AccountRegistry, type Account } from '../../src/aws/account-clients.js'
import { accountHome, homeOfArn } from '../../src/aws/account-home.js'
import { useMotoReset } from '../harness/index.js'
import { mainAccount } from '../workflows/steps/space-fixtures.js'

useMotoReset()

/** Records the account's STS GetCallerIdentity calls, in its own SDK client. */
function countCallerIdentity(account: Account): string[] {
  const seen: string[] = []
  account.clients.sts.middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === 'GetCallerIdentityCommand') seen.push(ctx.commandName)
      return next(args)
    },
    { step: 'initialize', name: 'count-caller-identity' },
  )
  return seen
}

describe('account home', () => {
  it('reads partition and account from an ARN, and nothing from what is not one', () => {
    expect(homeOfArn('arn:aws-cn:ecs:cn-north-1:210987654321:cluster/space1')).toEqual({ partition: 'aws-cn', accountId: '210987654321' })
    expect(homeOfArn('space1')).toBeUndefined()
    expect(homeOfArn(undefined)).toBeUndefined()
  })

  it('asks STS once per account and keeps the answer', async () => {
    const account = await mainAccount()
    const calls = countCallerIdentity(account)
    const [first, second] = await Promise.all([accountHome(account), accountHome(account)])
    expect(first).toEqual({ partition: 'aws', accountId: '123456789012' })
    expect(await accountHome(account)).toBe(second)
    expect(calls).toHaveLength(1)
  })

  it("takes an assumed role's account without asking STS", async () => {
    const registry = new AccountRegistry(
      new Map([['other', { region: 'us-east-1', assumeRole: { roleArn: 'arn:aws-us-gov:iam::210987654321:role/ecs-api' } }]]),
    )
    const account = registry.get('other')!
    const calls = countCallerIdentity(account)
    expect(await accountHome(account)).toEqual({ partition: 'aws-us-gov', accountId: '210987654321' })
    expect(calls).toEqual([])
    registry.destroy()
  })
})
