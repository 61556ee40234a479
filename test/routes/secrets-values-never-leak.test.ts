/**
 * Secret values and parameter values never appear in a response or a log line, on success, on
 * conflicts, on bad input, and when AWS quotes them in an error message.
 */
import { InvalidParameterException } from '@aws-sdk/client-secrets-manager'
import { ValidationException } from '@aws-sdk/client-ssm'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { authHeaders, testConfig } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'

useMotoReset()

const CANARY = 'leak-canary'

interface MiddlewareClient {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'build'; name: string },
    ): void
  }
}

/**
 * SDK-level stand-in for AWS (moto never quotes a value in its errors): the named command fails
 * with `error` instead of being sent. It sits inside the client's own middleware, so the error takes
 * the real translation path.
 */
function failCommand(client: unknown, commandName: string, error: () => Error): void {
  ;(client as MiddlewareClient).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === commandName) throw error()
      return next(args)
    },
    { step: 'build', name: `fail-${commandName}` },
  )
}

async function appWithLogs(): Promise<{ app: FastifyInstance; lines: string[] }> {
  const lines: string[] = []
  const app = await buildApp({ config: await testConfig({ logLevel: 'trace' }), logStream: { write: (l) => void lines.push(l) } })
  onTestFinished(() => app.close())
  return { app, lines }
}

describe('secret and parameter values', () => {
  it('never appear in responses or logs, whatever the outcome', async () => {
    const { app, lines } = await appWithLogs()
    const bodies: string[] = []
    const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: authHeaders, ...(payload ? { payload } : {}) })
      bodies.push(res.body)
      return res.statusCode
    }
    const s = '/v1/ecs/main/secrets'
    const p = '/v1/ecs/main/params/app'
    expect(await send('POST', s, { Name: 'one', SecretString: `${CANARY}-s1` })).toBe(200)
    expect(await send('POST', s, { Name: 'one', SecretString: `${CANARY}-s2` })).toBe(409)
    expect(await send('POST', s, { Name: 'two', SecretString: `${CANARY}-s3`, SecretBinary: 'YWJj' })).toBe(400)
    expect(await send('POST', s, { Name: 'bad name', SecretString: `${CANARY}-s4` })).toBe(400)
    expect(await send('PUT', `${s}/one`, { Secret: `${CANARY}-s5`, Tags: [{ Key: 'k', Value: 'v' }] })).toBe(200)
    expect(await send('PUT', `${s}/one`, { Secret: `${CANARY}-s6`, Tags: [{ Key: 'spinup:org', Value: 'x' }] })).toBe(403)
    expect(await send('GET', `${s}/one`)).toBe(200)
    expect(await send('GET', s)).toBe(200)
    expect(await send('POST', p, { Name: 'one', Value: `${CANARY}-p1` })).toBe(200)
    expect(await send('POST', p, { Name: 'one', Value: `${CANARY}-p2` })).toBe(409)
    expect(await send('POST', p, { Name: 'a/b', Value: `${CANARY}-p3` })).toBe(400)
    expect(await send('PUT', `${p}/one`, { Value: `${CANARY}-p4` })).toBe(200)
    expect(await send('PUT', `${p}/one`, { Value: `${CANARY}-p5`, Type: 'Nope' })).toBe(400)
    // SecureString: moto's GetParameter answers `kms:<key>:<value>` without decryption.
    expect(await send('GET', `${p}/one`)).toBe(200)
    expect(await send('GET', p)).toBe(200)
    expect(lines.length).toBeGreaterThan(0)
    for (const text of [...bodies, ...lines]) expect(text).not.toContain(CANARY)
  })

  it('are redacted from AWS error messages that quote them (SDK-level AWS stand-in)', async () => {
    const { app, lines } = await appWithLogs()
    const account = app.accounts.get('main')!
    failCommand(account.clients.secretsManager, 'CreateSecretCommand', () =>
      new InvalidParameterException({ message: `Value '${CANARY}-s1' at 'secretString' failed to satisfy constraint`, $metadata: { httpStatusCode: 400 } }),
    )
    failCommand(account.clients.ssm, 'PutParameterCommand', () =>
      new ValidationException({ message: `Parameter value, ${CANARY}-p1, failed to satisfy constraint`, $metadata: { httpStatusCode: 400 } }),
    )
    const secret = await app.inject({ method: 'POST', url: '/v1/ecs/main/secrets', headers: authHeaders, payload: { Name: 'x', SecretString: `${CANARY}-s1` } })
    expect(secret.statusCode).toBe(400)
    expect(secret.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining("Value '[redacted]' at 'secretString'") })
    const param = await app.inject({ method: 'POST', url: '/v1/ecs/main/params/app', headers: authHeaders, payload: { Name: 'x', Value: `${CANARY}-p1` } })
    expect(param.statusCode).toBe(400)
    expect(param.json()).toMatchObject({ code: 'BadRequest', detail: expect.stringContaining('Parameter value, [redacted], failed') })
    for (const text of [secret.body, param.body, ...lines]) expect(text).not.toContain(CANARY)
  })
})
