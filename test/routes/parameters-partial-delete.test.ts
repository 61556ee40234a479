/**
 * DELETE /params/{prefix} when some DeleteParameters calls fail. moto never fails one batch of a
 * delete, so an SDK-level stand-in fails chosen calls; every other call, and every other batch, goes
 * to moto.
 */
import { DescribeParametersCommand, PutParameterCommand, SSMClient, ThrottlingException } from '@aws-sdk/client-ssm'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

interface MiddlewareClient {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'build'; name: string },
    ): void
  }
}

/** SDK-level AWS stand-in: the first `failures` DeleteParameters calls are throttled; the count of calls is kept. */
function throttleDeletes(client: unknown, failures: number): { calls: { names: string[]; failed: boolean }[] } {
  const calls: { names: string[]; failed: boolean }[] = []
  ;(client as MiddlewareClient).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName !== 'DeleteParametersCommand') return next(args)
      const names = (args as { input: { Names: string[] } }).input.Names
      const failed = calls.filter((c) => c.failed).length < failures
      calls.push({ names, failed })
      if (failed) throw new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })
      return next(args)
    },
    { step: 'build', name: 'throttle-deletes' },
  )
  return { calls }
}

async function seed(count: number): Promise<SSMClient> {
  const ssm = new SSMClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => ssm.destroy())
  for (let i = 0; i < count; i++) {
    await ssm.send(new PutParameterCommand({ Name: `/${TEST_ORG}/app/p${String(i).padStart(2, '0')}`, Value: 'v', Type: 'String', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }))
  }
  return ssm
}

async function remaining(ssm: SSMClient): Promise<string[]> {
  const names: string[] = []
  let NextToken: string | undefined
  do {
    const page = await ssm.send(new DescribeParametersCommand({ NextToken }))
    names.push(...(page.Parameters ?? []).map((p) => p.Name!))
    NextToken = page.NextToken
  } while (NextToken)
  return names.sort()
}

describe('DELETE /params/{prefix} with failing batches', () => {
  it('deletes in batches of 10 and, when one batch fails, answers non-200 naming the names left', async () => {
    const ssm = await seed(25)
    const app = await buildTestApp()
    const { calls } = throttleDeletes(app.accounts.get('main')!.clients.ssm, 1)
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/params/app', headers: authHeaders })

    expect(calls.map((c) => c.names.length).sort()).toEqual([10, 10, 5])
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBeDefined()
    const failedNames = calls.find((c) => c.failed)!.names
    const body = res.json<{ code: string; detail: string; Deleted: number; Failed: { Name: string; Error: string }[] }>()
    expect(body.code).toBe('LimitExceeded')
    expect(body.detail).toBe(`deleted ${25 - failedNames.length} of 25 parameters under app; ${failedNames.length} could not be deleted`)
    expect(body.Deleted).toBe(25 - failedNames.length)
    expect(body.Failed.map((f) => f.Name).sort()).toEqual([...failedNames].sort())
    expect(body.Failed[0]!.Error).toContain('ThrottlingException')
    // Exactly the failed batch is left in moto.
    expect(await remaining(ssm)).toEqual([...failedNames].sort())
  })

  it('answers 200 with the count when every batch succeeds', async () => {
    const ssm = await seed(12)
    const app = await buildTestApp()
    const { calls } = throttleDeletes(app.accounts.get('main')!.clients.ssm, 0)
    const res = await app.inject({ method: 'DELETE', url: '/v1/ecs/main/params/app', headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ Message: 'OK', Deleted: 12 })
    expect(calls).toHaveLength(2)
    expect(await remaining(ssm)).toEqual([])
  })
})
