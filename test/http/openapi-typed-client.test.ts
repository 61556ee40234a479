/**
 * A typed client generated from the served document compiles: openapi-typescript turns the document
 * into types, and a small fetch client that calls service create, update and logs with the seed's
 * bodies is type-checked against them with the TypeScript compiler (strict).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { servedDocument } from './openapi/document.js'

useMotoReset()

const seed = (name: string) => readFileSync(new URL(`../fixtures/seed/${name}`, import.meta.url), 'utf8')

const client = (createBody: string, updateBody: string) => `
import type { paths } from './api.js'

type Services = paths['/v1/ecs/{account}/services']
type Service = paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}']
type Logs = paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}/logs']['get']

type CreateBody = Services['post']['requestBody']['content']['application/json']
type UpdateBody = Service['put']['requestBody']['content']['application/json']
type Created = Services['post']['responses'][200]['content']['application/json']
type LogPage = Logs['responses'][200]['content']['application/json']
type Problem = Services['post']['responses'][400]['content']['application/problem+json']

// The little of fetch the client uses, so the check needs no DOM library.
declare function fetch(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<{ ok: boolean; json(): Promise<unknown> }>
declare class URLSearchParams {
  constructor(init: Record<string, string>)
  toString(): string
}

const base = 'http://127.0.0.1:8080/v1/ecs'
const headers = { 'content-type': 'application/json', authorization: 'Bearer token' }

async function send<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  if (!res.ok) {
    const problem = (await res.json()) as Problem
    throw new Error(problem.code + ': ' + problem.detail)
  }
  return (await res.json()) as T
}

export async function createService(account: string, body: CreateBody): Promise<Created> {
  return send<Created>('POST', base + '/' + account + '/services', body)
}

export async function updateService(account: string, cluster: string, service: string, body: UpdateBody): Promise<unknown> {
  return send('PUT', base + '/' + account + '/clusters/' + cluster + '/services/' + service, body)
}

export async function logs(account: string, cluster: string, service: string, query: NonNullable<Logs['parameters']['query']>): Promise<LogPage> {
  const params = new URLSearchParams({ task: query.task ?? '', container: query.container ?? '', ...(query.limit ? { limit: query.limit } : {}) })
  return send<LogPage>('GET', base + '/' + account + '/clusters/' + cluster + '/services/' + service + '/logs?' + params.toString())
}

export async function demo(): Promise<string | null> {
  const typed: CreateBody = {
    Cluster: { ClusterName: 'myclu' },
    TaskDefinition: { Family: 'web', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], ContainerDefinitions: [{ Name: 'web', Image: 'nginx', Memory: 512 }] },
    Service: { ServiceName: 'www', DesiredCount: 1, LaunchType: 'FARGATE' },
    Credentials: { web: { Name: 'cred', SecretString: '{}' } },
  }
  const fromSeed: CreateBody = ${createBody}
  const created = await createService('main', fromSeed)
  await createService('main', typed)
  await updateService('main', 'myclu', 'www', ${updateBody})
  const page = await logs('main', 'myclu', 'www', { task: 'abc', container: 'webserver', limit: '100' })
  // The answer's AWS objects are typed too; a dry run's plan and the merged logs are the other answers.
  const serviceName: string | undefined = 'Service' in created ? created.Service.ServiceName : undefined
  return serviceName && 'NextForwardToken' in page ? page.NextForwardToken : null
}
`

describe('a typed client generated from the served document', () => {
  it('compiles with the seed bodies for service create, update and logs', async () => {
    const doc = await servedDocument(await buildTestApp())
    const types = astToString(await openapiTS(doc as never))
    const dir = mkdtempSync(join(tmpdir(), 'ecs-api-client-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'api.ts'), types)
    writeFileSync(join(dir, 'client.ts'), client(seed('service-create-new-everything.json'), seed('service-update-taskdef.json')))
    const program = ts.createProgram([join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts'],
      types: [],
    })
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diagnostics).toEqual([])
    // And the check bites: a value outside an enum does not compile.
    writeFileSync(join(dir, 'client.ts'), client(`{ TaskDefinition: { NetworkMode: 'bogus' } }`, '{}'))
    const bad = ts.createProgram([join(dir, 'client.ts')], program.getCompilerOptions(), undefined, program)
    expect(ts.getPreEmitDiagnostics(bad).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join()).toMatch(/"bogus"/)
    // The generated types know the members, their enums and the problem body.
    expect(types).toContain('NetworkMode?: "awsvpc" | "bridge" | "host" | "none"')
    expect(types).toMatch(/"application\/problem\+json": components\["schemas"\]\["Problem"\]/)
  })
})
