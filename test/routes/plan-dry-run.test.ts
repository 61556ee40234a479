/**
 * `?dryRun=true` on service and task-definition create and update, against moto: the plan's steps
 * and diffs, no write (moto's resources and the app's own AWS call metrics before and after), the
 * same refusals as the real calls, and `verify=true` without a dry run refusing before any write.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { EMPTY_INVENTORY, motoClients, motoInventory, motoService, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()

/** AWS calls the app made, `service:operation` to count (its own metrics: every SDK call is recorded). */
async function awsCalls(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = await app.metrics.registry.getSingleMetric('ecs_api_aws_calls_total')?.get()
  const out: Record<string, number> = {}
  for (const v of metric?.values ?? []) {
    const key = `${String(v.labels.service)}:${String(v.labels.operation)}`
    out[key] = (out[key] ?? 0) + v.value
  }
  return out
}

/** The calls that are not reads. */
async function writeCalls(app: FastifyInstance): Promise<string[]> {
  return Object.keys(await awsCalls(app)).filter((k) => !/:(Describe|List|Get)/.test(k))
}

/** The operations the app recorded (a create's or an update's deployment is one of them). */
async function operationsOf(app: FastifyInstance): Promise<unknown[]> {
  const res = await app.inject({ method: 'GET', url: '/v1/ecs/main/operations', headers: authHeaders })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ operations: unknown[] }>().operations
}

/** What ECS runs for a service: its revision, count and deployments. */
async function runningState(cluster: string, name: string) {
  const s = await motoService(motoClients().ecs, cluster, name)
  return { taskDefinition: s?.taskDefinition, desiredCount: s?.desiredCount, deployments: (s?.deployments ?? []).map((d) => d.id) }
}

const TASK_DEFINITION = {
  family: 'supercool-service',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine', portMappings: [{ containerPort: 80 }], environment: [{ name: 'A', value: '1' }] }],
}
const CREATE_BODY = {
  cluster: { clusterName: 'space1' },
  taskDefinition: TASK_DEFINITION,
  service: { serviceName: 'web', desiredCount: 1 },
  credentials: { webserver: { SecretString: '{"username":"u","password":"p"}' } },
}
const SERVICE_URL = '/v1/ecs/main/clusters/space1/services/web'

async function call(method: 'POST' | 'PUT', url: string, body: unknown) {
  const app = await buildTestApp()
  const res = await app.inject({ method, url, headers: { ...authHeaders, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
  return { app, res }
}

async function createService(): Promise<void> {
  const { res } = await call('POST', '/v1/ecs/main/services', CREATE_BODY)
  expect(res.statusCode, res.body).toBe(200)
}

describe('POST /services?dryRun=true', () => {
  it('plans every step as a create, diffs against nothing, and writes nothing', async () => {
    const clients = motoClients()
    const { app, res } = await call('POST', '/v1/ecs/main/services?dryRun=true', CREATE_BODY)
    expect(res.statusCode, res.body).toBe(200)
    const plan = res.json()
    expect(plan.Changed).toBe(true)
    expect(plan.Steps.map((s: { Step: string; Action: string }) => `${s.Step}:${s.Action}`)).toEqual([
      'ensure-cluster:create',
      'ensure-task-execution-role:create',
      'ensure-log-group:create',
      'create-repository-credentials:create',
      'create-service-registry:skip',
      'register-task-definition:create',
      'create-ecs-service:create',
    ])
    expect(plan.Changes.TaskDefinition.Patch).toContainEqual({ op: 'add', path: '/Family', value: 'supercool-service' })
    expect(plan.Changes.Service.Patch).toContainEqual({ op: 'add', path: '/ServiceName', value: 'web' })
    expect(plan.Changes.Service.Diff).toContain('+  "ServiceName": "web"')
    expect(plan.Checks).toBeUndefined()
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
    expect(await writeCalls(app)).toEqual([])
    expect(Object.keys(await awsCalls(app)).length).toBeGreaterThan(0)
  })

  it('refuses what the real call refuses, with the same status and detail', async () => {
    const bodies = [
      { ...CREATE_BODY, service: { desiredCount: 1 } },
      { ...CREATE_BODY, taskDefinition: { ...TASK_DEFINITION, memory: '4096' } },
      { ...CREATE_BODY, tags: [{ key: 'spinup:org', value: OTHER_ORG }] },
    ]
    for (const body of bodies) {
      const dry = (await call('POST', '/v1/ecs/main/services?dryRun=true', body)).res
      const real = (await call('POST', '/v1/ecs/main/services', body)).res
      expect(dry.statusCode, dry.body).toBeGreaterThanOrEqual(400)
      expect(dry.statusCode).toBe(real.statusCode)
      expect(dry.json().detail).toBe(real.json().detail)
    }
    expect(await motoInventory(motoClients())).toEqual(EMPTY_INVENTORY)
  })

  it('answers 400 naming dryRun or verify when it is not a boolean', async () => {
    for (const [query, name] of [['dryRun=maybe', 'dryRun'], ['verify=2', 'verify'], ['dryRun=true&verify=yes', 'verify']] as const) {
      const { res } = await call('POST', `/v1/ecs/main/services?${query}`, CREATE_BODY)
      expect(res.statusCode, query).toBe(400)
      expect(res.json().code).toBe('BadRequest')
      expect(res.json().detail).toContain(name)
    }
    expect(await motoInventory(motoClients())).toEqual(EMPTY_INVENTORY)
  })
})

describe('PUT /services/{service}?dryRun=true', () => {
  it('reports no change for a re-send of what runs (as GET shows it), and writes nothing', async () => {
    await createService()
    const shown = await (await buildTestApp()).inject({ method: 'GET', url: `${SERVICE_URL}?all=true`, headers: authHeaders })
    const running = shown.json()
    const clients = motoClients()
    const before = await motoInventory(clients)
    const { app, res } = await call('PUT', `${SERVICE_URL}?dryRun=true`, {
      taskDefinition: running.TaskDefinition,
      service: { desiredCount: running.DesiredCount },
    })
    expect(res.statusCode, res.body).toBe(200)
    const plan = res.json()
    expect(plan.Changes.TaskDefinition).toEqual({ Patch: [], Diff: '' })
    expect(plan.Changes.Service).toEqual({ Patch: [], Diff: '' })
    expect(plan.Changed, JSON.stringify(plan.Steps)).toBe(false)
    expect(await motoInventory(clients)).toEqual(before)
    expect(await writeCalls(app)).toEqual([])
  })

  it('shows exactly the one field changed in the patch and the diff', async () => {
    await createService()
    const image = (await call('PUT', `${SERVICE_URL}?dryRun=true`, {
      taskDefinition: { ...TASK_DEFINITION, containerDefinitions: [{ ...TASK_DEFINITION.containerDefinitions[0], image: 'nginx:1.27' }] },
    })).res
    expect(image.statusCode, image.body).toBe(200)
    const td = image.json().Changes.TaskDefinition
    expect(td.Patch).toEqual([{ op: 'replace', path: '/ContainerDefinitions/0/Image', value: 'nginx:1.27' }])
    expect(td.Diff.split('\n').filter((l: string) => /^[-+]\s/.test(l))).toEqual(['-      "Image": "nginx:alpine",', '+      "Image": "nginx:1.27",'])
    expect(image.json().Changed).toBe(true)
    expect(image.json().Steps).toContainEqual(expect.objectContaining({ Step: 'register-task-definition', Action: 'create' }))

    const count = (await call('PUT', `${SERVICE_URL}?dryRun=true`, { service: { desiredCount: 3 } })).res
    expect(count.statusCode, count.body).toBe(200)
    expect(count.json().Changes).toEqual({
      Service: { Patch: [{ op: 'replace', path: '/DesiredCount', value: 3 }], Diff: expect.stringContaining('+  "DesiredCount": 3') },
    })
    expect(count.json().Steps).toContainEqual({ Step: 'update-ecs-service', Action: 'update', Resource: expect.stringContaining(':service/space1/web') })
  })

  it('starts no deployment or operation for a plan that changes things, and the service stays as it runs', async () => {
    await createService()
    const clients = motoClients()
    const before = { inventory: await motoInventory(clients), service: await runningState('space1', 'web') }
    const body = {
      taskDefinition: { ...TASK_DEFINITION, containerDefinitions: [{ ...TASK_DEFINITION.containerDefinitions[0], image: 'nginx:1.27' }] },
      service: { desiredCount: 3 },
      forceNewDeployment: true,
    }
    const { app, res } = await call('PUT', `${SERVICE_URL}?dryRun=true`, body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Changed).toBe(true)
    expect(res.headers['x-deployment-id']).toBeUndefined()
    expect(res.headers.location).toBeUndefined()
    expect(await operationsOf(app)).toEqual([])
    expect(await writeCalls(app)).toEqual([])
    expect({ inventory: await motoInventory(clients), service: await runningState('space1', 'web') }).toEqual(before)

    // The same body for real does start one: what the assertions above would have seen.
    const real = await call('PUT', SERVICE_URL, body)
    expect(real.res.statusCode, real.res.body).toBe(200)
    expect(real.res.headers['x-deployment-id']).toEqual(expect.any(String))
    expect(await operationsOf(real.app)).toHaveLength(1)
  })

  it('answers 400 naming dryRun or verify when it is not a boolean', async () => {
    const { res } = await call('PUT', `${SERVICE_URL}?dryRun=yes`, { service: { desiredCount: 2 } })
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toContain('dryRun')
    const verify = (await call('PUT', `${SERVICE_URL}?verify=maybe`, { service: { desiredCount: 2 } })).res
    expect(verify.statusCode).toBe(400)
    expect(verify.json().detail).toContain('verify')
  })

  it('refuses a body the real update refuses, with the same status and detail, and changes nothing', async () => {
    await createService()
    const clients = motoClients()
    const before = { inventory: await motoInventory(clients), service: await runningState('space1', 'web') }
    const bodies = [
      {},
      { service: { desiredCount: -1 } },
      { taskDefinition: { ...TASK_DEFINITION, memory: '4096' } },
      { tags: [{ key: 'spinup:org', value: OTHER_ORG }] },
    ]
    for (const body of bodies) {
      const dry = (await call('PUT', `${SERVICE_URL}?dryRun=true`, body)).res
      const real = (await call('PUT', SERVICE_URL, body)).res
      expect(real.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
      expect(dry.statusCode, JSON.stringify(body)).toBe(real.statusCode)
      expect(dry.json().detail).toBe(real.json().detail)
      expect(dry.json().field).toBe(real.json().field)
    }
    expect({ inventory: await motoInventory(clients), service: await runningState('space1', 'web') }).toEqual(before)
  })

  it('answers 404 for another org\'s service, as the real update does, on verify too', async () => {
    const { ecs } = motoClients()
    await seedService(ecs, 'space2', 'web', { org: OTHER_ORG })
    const url = '/v1/ecs/main/clusters/space2/services/web'
    const dry = (await call('PUT', `${url}?dryRun=true`, { service: { desiredCount: 2 } })).res
    const real = (await call('PUT', url, { service: { desiredCount: 2 } })).res
    // Cluster and service are looked up at once; either one's 404 may answer first.
    const notFound = /^(cluster space2|service web) not found/
    expect(real.statusCode).toBe(404)
    expect(real.json().detail).toMatch(notFound)
    expect(dry.statusCode).toBe(404)
    expect(dry.json().detail).toMatch(notFound)
    // The preflight of what it runs: the same 404, no check of anything of that org.
    const verify = (await call('POST', `${url}/verify`, {})).res
    expect(verify.statusCode).toBe(404)
    expect(verify.json().detail).toBe('cluster space2 not found')
  })
})

describe('task definitions ?dryRun=true', () => {
  const body = { cluster: { clusterName: 'space1' }, taskDefinition: { ...TASK_DEFINITION, family: 'batch' } }

  it('plans a create, and a re-send of what runs is no change; nothing is written', async () => {
    const create = await call('POST', '/v1/ecs/main/taskdefs?dryRun=true', body)
    expect(create.res.statusCode, create.res.body).toBe(200)
    expect(create.res.json().Changed).toBe(true)
    expect(await writeCalls(create.app)).toEqual([])
    expect(await motoInventory(motoClients())).toEqual(EMPTY_INVENTORY)

    expect((await call('POST', '/v1/ecs/main/taskdefs', body)).res.statusCode).toBe(200)
    const again = await call('PUT', '/v1/ecs/main/clusters/space1/taskdefs/batch?dryRun=true', { taskDefinition: body.taskDefinition })
    expect(again.res.statusCode, again.res.body).toBe(200)
    expect(again.res.json().Changes.TaskDefinition).toEqual({ Patch: [], Diff: '' })
    expect(again.res.json().Changed, JSON.stringify(again.res.json().Steps)).toBe(false)
    expect(await writeCalls(again.app)).toEqual([])

    const recreate = await call('POST', '/v1/ecs/main/taskdefs?dryRun=true', body)
    expect(recreate.res.json().Changes.TaskDefinition.Patch).toEqual([])
  })

  it('shows exactly the one field changed, and starts no operation', async () => {
    expect((await call('POST', '/v1/ecs/main/taskdefs', body)).res.statusCode).toBe(200)
    const changed = { ...body.taskDefinition, containerDefinitions: [{ ...body.taskDefinition.containerDefinitions[0], environment: [{ name: 'A', value: '2' }] }] }
    const { app, res } = await call('PUT', '/v1/ecs/main/clusters/space1/taskdefs/batch?dryRun=true', { taskDefinition: changed })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().Changed).toBe(true)
    expect(res.json().Changes.TaskDefinition.Patch).toEqual([{ op: 'replace', path: '/ContainerDefinitions/0/Environment/0/Value', value: '2' }])
    expect(res.json().Changes.TaskDefinition.Diff.split('\n').filter((l: string) => /^[-+]\s/.test(l))).toEqual([
      '-          "Value": "1"',
      '+          "Value": "2"',
    ])
    expect(await operationsOf(app)).toEqual([])
    expect(await writeCalls(app)).toEqual([])
  })

  it('answers 400 naming dryRun or verify when it is not a boolean', async () => {
    for (const [method, url, name] of [
      ['POST', '/v1/ecs/main/taskdefs?dryRun=maybe', 'dryRun'],
      ['POST', '/v1/ecs/main/taskdefs?dryRun=true&verify=2', 'verify'],
      ['PUT', '/v1/ecs/main/clusters/space1/taskdefs/batch?dryRun=yes', 'dryRun'],
      ['PUT', '/v1/ecs/main/clusters/space1/taskdefs/batch?verify=no!', 'verify'],
    ] as const) {
      const { res } = await call(method, url, method === 'POST' ? body : { taskDefinition: body.taskDefinition })
      expect(res.statusCode, url).toBe(400)
      expect(res.json().code).toBe('BadRequest')
      expect(res.json().detail, url).toContain(name)
    }
    expect(await motoInventory(motoClients())).toEqual(EMPTY_INVENTORY)
  })

  it('refuses what the real calls refuse, with the same status and detail', async () => {
    const creates = [
      { ...body, taskDefinition: { ...body.taskDefinition, family: undefined } },
      { ...body, taskDefinition: { ...body.taskDefinition, memory: '4096' } },
      { ...body, tags: [{ key: 'spinup:org', value: OTHER_ORG }] },
    ]
    for (const b of creates) {
      const dry = (await call('POST', '/v1/ecs/main/taskdefs?dryRun=true', b)).res
      const real = (await call('POST', '/v1/ecs/main/taskdefs', b)).res
      expect(real.statusCode, JSON.stringify(b)).toBeGreaterThanOrEqual(400)
      expect(dry.statusCode, JSON.stringify(b)).toBe(real.statusCode)
      expect(dry.json().detail).toBe(real.json().detail)
    }
    expect(await motoInventory(motoClients())).toEqual(EMPTY_INVENTORY)

    expect((await call('POST', '/v1/ecs/main/taskdefs', body)).res.statusCode).toBe(200)
    const before = await motoInventory(motoClients())
    const updates: [string, unknown][] = [
      ['/v1/ecs/main/clusters/space1/taskdefs/nosuchfamily', { taskDefinition: body.taskDefinition }],
      ['/v1/ecs/main/clusters/space1/taskdefs/batch', { tags: [{ key: 'spinup:org', value: OTHER_ORG }] }],
      ['/v1/ecs/main/clusters/space1/taskdefs/batch', { taskDefinition: { ...body.taskDefinition, memory: '4096' } }],
    ]
    for (const [url, b] of updates) {
      const dry = (await call('PUT', `${url}?dryRun=true`, b)).res
      const real = (await call('PUT', url, b)).res
      expect(real.statusCode, `${url} ${JSON.stringify(b)}`).toBeGreaterThanOrEqual(400)
      expect(dry.statusCode, `${url} ${JSON.stringify(b)}`).toBe(real.statusCode)
      expect(dry.json().detail).toBe(real.json().detail)
    }
    expect(await motoInventory(motoClients())).toEqual(before)
  })
})

describe('verify=true without a dry run', () => {
  it('refuses with 422 and the failed checks before any write', async () => {
    const body = { ...CREATE_BODY, taskDefinition: { ...TASK_DEFINITION, containerDefinitions: [{ name: 'webserver', image: '127.0.0.1:1/team/app:v1' }] } }
    const { app, res } = await call('POST', '/v1/ecs/main/services?verify=true', body)
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().code).toBe('UnprocessableEntity')
    expect(res.json().checks).toEqual([expect.objectContaining({ Check: 'image', Status: 'fail', Field: 'taskDefinition.containerDefinitions[0].image' })])
    expect(res.json().field).toBe('taskDefinition.containerDefinitions[0].image')
    expect(await writeCalls(app)).toEqual([])
    expect(await motoInventory(motoClients())).toEqual(EMPTY_INVENTORY)
  })

  it('refuses an update of a running service with 422 and leaves it as it runs', async () => {
    await createService()
    const clients = motoClients()
    const before = { inventory: await motoInventory(clients), service: await runningState('space1', 'web') }
    const body = { taskDefinition: { ...TASK_DEFINITION, containerDefinitions: [{ name: 'webserver', image: '127.0.0.1:1/team/app:v2' }] }, service: { desiredCount: 2 } }
    const { app, res } = await call('PUT', `${SERVICE_URL}?verify=true`, body)
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().checks).toEqual([expect.objectContaining({ Check: 'image', Status: 'fail', Field: 'taskDefinition.containerDefinitions[0].image' })])
    expect(res.headers['x-deployment-id']).toBeUndefined()
    expect(await writeCalls(app)).toEqual([])
    expect(await operationsOf(app)).toEqual([])
    expect({ inventory: await motoInventory(clients), service: await runningState('space1', 'web') }).toEqual(before)
  })
})

describe('OpenAPI', () => {
  it('documents dryRun and verify on the four routes, the verify route, and the plan and check shapes', async () => {
    const app = await buildTestApp()
    const spec = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
    }>()
    for (const [path, method] of [
      ['/v1/ecs/{account}/services', 'post'],
      ['/v1/ecs/{account}/clusters/{cluster}/services/{service}', 'put'],
      ['/v1/ecs/{account}/taskdefs', 'post'],
      ['/v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}', 'put'],
    ] as const) {
      const op = spec.paths[path]?.[method]
      const query = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
      expect(query, `${method} ${path}`).toEqual(expect.arrayContaining(['dryRun', 'verify']))
      expect(Object.keys(op?.responses ?? {}), `${method} ${path}`).toContain('422')
    }
    expect(spec.paths['/v1/ecs/{account}/clusters/{cluster}/services/{service}/verify']?.post).toBeDefined()
    const schemas = JSON.stringify(spec.components.schemas)
    for (const key of ['Changed', 'Steps', 'Changes', 'Patch', 'Diff', 'Checks', 'Status', 'Field', 'Reason']) expect(schemas).toContain(`"${key}"`)
  })
})
