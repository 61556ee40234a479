/**
 * Shared fixtures of the space-step tests: an account against moto, raw SDK clients to check AWS
 * state with, a scope, and a step that fails after a given step (to trigger the rollback).
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { ECSClient } from '@aws-sdk/client-ecs'
import { IAMClient } from '@aws-sdk/client-iam'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { onTestFinished } from 'vitest'
import { AccountRegistry, type Account } from '../../../src/aws/account-clients.js'
import { defineStep, type Step, type StepRef } from '../../../src/workflows/engine.js'
import { spaceScope, type SpaceScope } from '../../../src/workflows/steps/space-scope.js'
import { TEST_ORG, testConfig } from '../../harness/app.js'
import { motoClientConfig, motoEndpoint } from '../../harness/index.js'

export const SPACE = 'space1'
export const CLIENT_TAGS = [{ Key: 'Application', Value: 'demo' }]

/** The `main` test account (moto's default account), closed after the test. */
export async function mainAccount(): Promise<Account> {
  const registry = new AccountRegistry((await testConfig()).accounts)
  onTestFinished(() => registry.destroy())
  const account = registry.get('main')
  if (!account) throw new Error('test config has no main account')
  return account
}

/** Raw SDK clients on moto's default account, for arranging and checking AWS state. */
export function moto(): { ecs: ECSClient; iam: IAMClient; logs: CloudWatchLogsClient; secrets: SecretsManagerClient } {
  const config = motoClientConfig(motoEndpoint())
  const clients = {
    ecs: new ECSClient(config),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    secrets: new SecretsManagerClient(config),
  }
  onTestFinished(() => Object.values(clients).forEach((c) => c.destroy()))
  return clients
}

export async function testScope(overrides: Partial<SpaceScope> = {}): Promise<SpaceScope> {
  const account = await mainAccount()
  return {
    ...spaceScope({ account, org: TEST_ORG, clusterName: SPACE, flavor: 'task', clientTags: CLIENT_TAGS }),
    ...overrides,
  }
}

/** A step that runs after `after` and always fails, so the workflow rolls `after` back. */
export function failAfter(after: StepRef<unknown>, id = 'fail-after'): Step<never, never, unknown> {
  return defineStep({
    id,
    dependsOn: [after],
    invoke: () => Promise.reject(new Error(`${id}: injected failure`)),
    noCompensation: true,
  })
}

interface InjectableClient {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'low'; name: string },
    ): void
  }
}

/** An error shaped like the SDK's service exceptions (it goes through the app's error translation). */
export function injectedAwsError(name: string, status = 400): Error {
  return Object.assign(new Error(`${name} (injected)`), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } })
}

/**
 * SDK-level injection seam, for failures moto cannot produce: from now on `operation` (e.g.
 * `DeleteSecret`) of the account's `client` fails with `error`, for calls whose input `when` accepts,
 * at most `times` times. Tests that use it say so in their names.
 */
export function failSdkCall(
  account: Account,
  client: 'ecs' | 'iam' | 'logs' | 'secretsManager',
  operation: string,
  error: Error,
  options: { times?: number; when?: (input: Record<string, unknown>) => boolean } = {},
): void {
  let left = options.times ?? Infinity
  ;(account.clients[client] as unknown as InjectableClient).middlewareStack.add(
    (next, ctx) => async (args) => {
      const input = (args as { input: Record<string, unknown> }).input
      if (ctx.commandName === `${operation}Command` && left > 0 && (options.when?.(input) ?? true)) {
        left--
        throw error
      }
      return next(args)
    },
    { step: 'initialize', priority: 'low', name: `fail-${operation}-${Math.random()}` },
  )
}

/**
 * SDK-level injection seam: runs `before` just ahead of each `operation` call of the account's
 * `client` (for example, another request creating the same resource first). Tests that use it say so.
 */
export function beforeSdkCall(account: Account, client: 'ecs' | 'iam' | 'logs' | 'secretsManager', operation: string, before: () => Promise<void>): void {
  ;(account.clients[client] as unknown as InjectableClient).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === `${operation}Command`) await before()
      return next(args)
    },
    { step: 'initialize', priority: 'low', name: `before-${operation}-${Math.random()}` },
  )
}
