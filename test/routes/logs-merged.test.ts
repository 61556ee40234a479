/**
 * The merged form of the service logs route and the task logs route against moto: several tasks'
 * streams in one time order (more than 100 streams in several FilterLogEvents calls), every container
 * of a task or one, filter, previous, since/until, paging with next, and the 400s and 404s of bad
 * input.
 */
import { RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { defaultVpcResources, motoEndpoint, useMotoReset } from '../harness/index.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { GROUP, PREFIX, runServiceTask, seedLoggingService, stopTask, writeLines } from './logs-fixtures.js'
import { managedTags, motoClients, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()

const base = '/v1/ecs/main/clusters/space1'

async function get(url: string, headers: Record<string, string> = {}) {
  const app = await buildTestApp()
  return app.inject({ method: 'GET', url, headers: { ...authHeaders, ...headers } })
}

interface Merged {
  Events: { Id: string; TaskId: string; Container: string; Timestamp: string; Message: string }[]
  Tasks: string[]
  NextToken: string | null
}

/** Two running tasks of `web` whose lines interleave in time, and one stopped task. */
async function seedTwoTasks() {
  const clients = motoClients()
  const { taskDefinitionArn } = await seedLoggingService(clients)
  const a = await runServiceTask(clients, taskDefinitionArn)
  const b = await runServiceTask(clients, taskDefinitionArn)
  const old = await runServiceTask(clients, taskDefinitionArn)
  await stopTask(clients, old, 'Essential container in task exited')
  const t0 = Date.now() - 10 * 60_000
  await writeLines(clients, a, [[t0, 'a0 ERROR boom'], [t0 + 2000, 'a2'], [t0 + 4000, 'a4']])
  await writeLines(clients, b, [[t0 + 1000, 'b1'], [t0 + 3000, 'b3 ERROR again']])
  await writeLines(clients, old, [[t0 - 5000, 'old-1'], [t0 + 500, 'old last words']])
  return { clients, a, b, old, t0, taskDefinitionArn }
}

const messages = (body: Merged) => body.Events.map((e) => e.Message)

describe('GET .../services/{service}/logs, merged form', () => {
  it('merges the running tasks in time order, each line with its task, container and RFC 3339 time', async () => {
    const { a, b, t0 } = await seedTwoTasks()
    const res = await get(`${base}/services/web/logs?tasks=running`)
    expect(res.statusCode).toBe(200)
    const body = res.json<Merged>()
    expect(messages(body)).toEqual(['a0 ERROR boom', 'b1', 'a2', 'b3 ERROR again', 'a4'])
    expect(body.Tasks.sort()).toEqual([a, b].sort())
    expect(body.Events[1]).toEqual({
      Id: expect.stringMatching(new RegExp(`^${t0 + 1000}-\\w+$`)),
      TaskId: b,
      Container: 'app',
      Timestamp: new Date(t0 + 1000).toISOString(),
      Message: 'b1',
    })
    expect(body.NextToken).toBeNull()
  })

  it('reads stopped, all, a list of ids, and previous (the most recently stopped task)', async () => {
    const { a, old } = await seedTwoTasks()
    expect(messages((await get(`${base}/services/web/logs?tasks=stopped`)).json())).toEqual(['old-1', 'old last words'])
    expect(messages((await get(`${base}/services/web/logs?tasks=all`)).json())).toEqual([
      'old-1', 'a0 ERROR boom', 'old last words', 'b1', 'a2', 'b3 ERROR again', 'a4',
    ])
    const listed = (await get(`${base}/services/web/logs?tasks=${a},${old}`)).json<Merged>()
    expect(messages(listed)).toEqual(['old-1', 'a0 ERROR boom', 'old last words', 'a2', 'a4'])
    const previous = (await get(`${base}/services/web/logs?previous=true`)).json<Merged>()
    expect(previous.Tasks).toEqual([old])
    expect(messages(previous)).toEqual(['old-1', 'old last words'])
  })

  it('filters with a CloudWatch pattern, since and until, and one container', async () => {
    const { t0 } = await seedTwoTasks()
    expect(messages((await get(`${base}/services/web/logs?tasks=all&filter=ERROR`)).json())).toEqual(['a0 ERROR boom', 'b3 ERROR again'])
    const since = new Date(t0 + 1000).toISOString()
    const until = new Date(t0 + 3000).toISOString()
    expect(messages((await get(`${base}/services/web/logs?since=${since}&until=${until}`)).json())).toEqual(['b1', 'a2', 'b3 ERROR again'])
    // A duration back from now: everything of the last 9 minutes (t0 is 10 minutes back).
    expect(messages((await get(`${base}/services/web/logs?since=9m`)).json())).toEqual([])
    expect(messages((await get(`${base}/services/web/logs?tasks=running&container=app&limit=2`)).json())).toEqual(['a0 ERROR boom', 'b1'])
    expect((await get(`${base}/services/web/logs?tasks=running&container=sidecar`)).statusCode).toBe(404)
  })

  it('lists the tasks beside the service check and reads the logs in the third round', async () => {
    await seedTwoTasks()
    const app = await buildTestApp()
    const rounds = new CallRounds()
    rounds.attach(app.accounts.get('main')!.clients.ecs)
    rounds.attach(app.accounts.get('main')!.clients.logs)
    const res = await app.inject({ url: `${base}/services/web/logs?tasks=all`, headers: authHeaders })
    expect(res.statusCode).toBe(200)
    expect(rounds.rounds).toEqual([
      ['DescribeServices', 'ListTasks', 'ListTasks'],
      ['DescribeTaskDefinition', 'DescribeTasks', 'DescribeTasks'],
      ['FilterLogEvents'],
    ])
  })

  it('reads more than 100 tasks with FilterLogEvents calls of at most 100 stream names each, merged in one time order', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const vpc = await defaultVpcResources(motoEndpoint())
    const ids: string[] = []
    // RunTask starts at most 10 tasks a call: 105 tasks, so their streams need two FilterLogEvents calls.
    for (let i = 0; i < 11; i++) {
      const run = await clients.ecs.send(
        new RunTaskCommand({
          cluster: 'space1',
          taskDefinition: taskDefinitionArn,
          launchType: 'FARGATE',
          group: 'service:web',
          count: i < 10 ? 10 : 5,
          networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
        }),
      )
      ids.push(...run.tasks!.map((t) => t.taskArn!.split('/').pop()!))
    }
    expect(ids).toHaveLength(105)
    // Task k writes at t0 + (k * 37 mod 105) seconds, a permutation: the lines of the two calls' streams interleave.
    const t0 = Date.now() - 30 * 60_000
    const at = (k: number) => t0 + ((k * 37) % 105) * 1000
    for (const [k, id] of ids.entries()) await writeLines(clients, id, [[at(k), `line of task ${k}`]])

    const app = await buildTestApp()
    const rounds = new CallRounds()
    rounds.attach(app.accounts.get('main')!.clients.logs, (operation, input) =>
      operation === 'FilterLogEvents' ? `FilterLogEvents of ${(input as { logStreamNames: string[] }).logStreamNames.length} streams` : operation,
    )
    const res = await app.inject({ url: `${base}/services/web/logs?tasks=running&limit=10000`, headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<Merged>()
    expect(rounds.rounds).toEqual([['FilterLogEvents of 100 streams', 'FilterLogEvents of 5 streams']])
    expect(body.Tasks.sort()).toEqual([...ids].sort())
    const expected = ids.map((id, k) => ({ id, k, t: at(k) })).sort((a, b) => a.t - b.t)
    expect(body.Events.map((e) => [e.TaskId, e.Message])).toEqual(expected.map(({ id, k }) => [id, `line of task ${k}`]))
    expect(body.NextToken).toBeNull()
  })

  it('pages with limit and next, with no gap and no repeat', async () => {
    await seedTwoTasks()
    const seen: string[] = []
    let next: string | null = null
    for (let page = 0; page < 10; page++) {
      const url: string = `${base}/services/web/logs?tasks=all&limit=2${next ? `&next=${encodeURIComponent(next)}` : ''}`
      const body: Merged = (await get(url)).json()
      seen.push(...messages(body))
      next = body.NextToken
      if (!next) break
    }
    expect(seen).toEqual(['old-1', 'a0 ERROR boom', 'old last words', 'b1', 'a2', 'b3 ERROR again', 'a4'])
  })

  it('reads one task of the service in the merged form when task comes with a new parameter', async () => {
    const { a } = await seedTwoTasks()
    expect(messages((await get(`${base}/services/web/logs?task=${a}&since=1h`)).json())).toEqual(['a0 ERROR boom', 'a2', 'a4'])
  })

  it('refuses bad input with a 400 naming the parameter', async () => {
    const clients = motoClients()
    await seedLoggingService(clients)
    const app = await buildTestApp()
    for (const [query, field] of [
      ['since=yesterday', 'since'],
      ['until=soon', 'until'],
      ['since=1h&until=2h', 'until'],
      ['tasks=pending', 'tasks'],
      ['tasks=ffffffffffffffffffffffffffffffff', 'tasks'],
      ['filter=%22unbalanced', 'filter'],
      ['tasks=running&next=garbage', 'next'],
      ['tasks=running&limit=0', 'limit'],
      ['tasks=running&seq=f/1', 'seq'],
      ['previous=true&tasks=all', 'previous'],
      ['follow=true', 'follow'],
    ] as const) {
      const res = await app.inject({ url: `${base}/services/web/logs?${query}`, headers: authHeaders })
      expect(res.statusCode, query).toBe(400)
      expect(res.json().field, query).toBe(field)
    }
  })

  it("refuses a listed task of another service with a 400 naming tasks", async () => {
    const clients = motoClients()
    await seedLoggingService(clients)
    const other = await seedService(clients.ecs, 'space1', 'other')
    const theirs = await runServiceTask(clients, other.taskDefinitionArn, 'other')
    const res = await get(`${base}/services/web/logs?tasks=${theirs}`)
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('tasks')
  })

  it('is a 404 for a service of another org', async () => {
    const clients = motoClients()
    await seedService(clients.ecs, 'space1', 'theirs', { org: OTHER_ORG })
    expect((await get(`${base}/services/theirs/logs?tasks=all`)).statusCode).toBe(404)
  })

  it('answers 400 naming filter when CloudWatch rejects the pattern (injected failure)', async () => {
    const { a } = await seedTwoTasks()
    const app = await buildTestApp()
    failAwsCall(app, 'logs', 'FilterLogEvents', awsError('InvalidParameterException', 400, 'Invalid filter pattern'))
    const res = await app.inject({ url: `${base}/services/web/logs?tasks=${a}&filter=${encodeURIComponent('{ $.level = }')}`, headers: authHeaders })
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('filter')
  })
})

describe('GET .../tasks/{task}/logs', () => {
  it("merges every container of the task, or one with container=", async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const task = await runServiceTask(clients, taskDefinitionArn)
    const t0 = Date.now() - 60_000
    await writeLines(clients, task, [[t0, 'one'], [t0 + 2000, 'three']])
    const res = await get(`${base}/tasks/${task}/logs`)
    expect(res.statusCode).toBe(200)
    expect(messages(res.json())).toEqual(['one', 'three'])
    expect(messages((await get(`${base}/tasks/${task}/logs?container=app&filter=three`)).json())).toEqual(['three'])
    expect((await get(`${base}/tasks/${task}/logs?since=nope`)).json().field).toBe('since')
  })

  it('merges the streams of a task with two containers, and reads one of them with container= (also on the service route)', async () => {
    const clients = motoClients()
    await seedLoggingService(clients)
    const logConfiguration = { logDriver: 'awslogs' as const, options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': PREFIX } }
    const registered = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web-family',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [
          { name: 'app', image: 'nginx:alpine', memoryReservation: 128, essential: true, logConfiguration },
          { name: 'sidecar', image: 'busybox', memoryReservation: 64, essential: false, logConfiguration },
        ],
        tags: managedTags(TEST_ORG, 'space1'),
      }),
    )
    const task = await runServiceTask(clients, registered.taskDefinition!.taskDefinitionArn!)
    const t0 = Date.now() - 60_000
    await writeLines(clients, task, [[t0, 'app 0'], [t0 + 2000, 'app 2']], 'app')
    await writeLines(clients, task, [[t0 + 1000, 'sidecar 1'], [t0 + 3000, 'sidecar 3']], 'sidecar')

    const all = (await get(`${base}/tasks/${task}/logs`)).json<Merged>()
    expect(all.Events.map((e) => [e.Container, e.Message])).toEqual([
      ['app', 'app 0'], ['sidecar', 'sidecar 1'], ['app', 'app 2'], ['sidecar', 'sidecar 3'],
    ])
    expect(messages((await get(`${base}/tasks/${task}/logs?container=sidecar`)).json())).toEqual(['sidecar 1', 'sidecar 3'])
    expect(messages((await get(`${base}/services/web/logs?tasks=running`)).json())).toEqual(['app 0', 'sidecar 1', 'app 2', 'sidecar 3'])
    expect(messages((await get(`${base}/services/web/logs?tasks=running&container=app`)).json())).toEqual(['app 0', 'app 2'])
  })

  it('is a 404 for a task of another org or another space', async () => {
    const clients = motoClients()
    const theirs = await seedService(clients.ecs, 'space1', 'theirs', { org: OTHER_ORG })
    const task = await runServiceTask(clients, theirs.taskDefinitionArn, 'theirs')
    expect((await get(`${base}/tasks/${task}/logs`)).statusCode).toBe(404)
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const ours = await runServiceTask(clients, taskDefinitionArn)
    await seedService(clients.ecs, 'space2', 'x')
    expect((await get(`/v1/ecs/main/clusters/space2/tasks/${ours}/logs`)).statusCode).toBe(404)
  })
})

describe('OpenAPI', () => {
  it('documents the logs routes with their event-stream answers, and the diagnosis', async () => {
    const app = await buildTestApp()
    const doc = (await app.inject({ url: '/v1/ecs/openapi.json' })).json()
    const serviceLogs = doc.paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}/logs'].get
    const taskLogs = doc.paths['/v1/ecs/{account}/clusters/{cluster}/tasks/{task}/logs'].get
    const diagnosis = doc.paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}/diagnosis'].get
    for (const op of [serviceLogs, taskLogs]) {
      expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/json', 'text/event-stream'])
      expect(op.responses['503']).toBeDefined()
      const names = op.parameters.map((p: { name: string }) => p.name)
      expect(names).toEqual(expect.arrayContaining(['filter', 'since', 'until', 'follow', 'container', 'next']))
    }
    expect(serviceLogs.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['task', 'container', 'limit', 'seq', 'start', 'end', 'tasks', 'previous']),
    )
    expect(diagnosis.parameters.map((p: { name: string }) => p.name)).toContain('window')
    expect(diagnosis.responses['200'].content['application/json'].schema.properties.Failures).toBeDefined()
  })
})
