/**
 * A service update that names another task-definition family than the service runs (the seed's
 * update bodies all name `supercool-service`, and clients send them to every service), against moto:
 * the service moves to that family, the credentials rule holds across the move, a family of another
 * org, space or flavor is refused, and a recursive delete removes every family the service ran.
 */
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { DescribeSecretCommand, GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { waitFor } from '../operations/helpers.js'
import { managedTags, motoClients, motoInventory, motoService, OTHER_ORG } from './services-fixtures.js'

useMotoReset()

const SERVICE_URL = '/v1/ecs/main/clusters/space1/services/web'
const WEB_SECRET = '{"username":"u","password":"web-1"}'

async function request(method: 'PUT', url: string, body?: unknown) {
  const app = await buildTestApp()
  return app.inject({ method, url, headers: authHeaders, ...(body === undefined ? {} : { payload: body as object }) })
}

/** Service `web` in `space1`, family `webservers`, container `webserver` with a repository credential. */
async function createWebservers(): Promise<{ taskDefinitionArn: string; webSecretArn: string }> {
  const app = await buildTestApp()
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: {
        family: 'webservers',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine' }],
      },
      credentials: { webserver: { Name: 'web-cred', SecretString: WEB_SECRET } },
      service: { serviceName: 'web', desiredCount: 1 },
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  return { taskDefinitionArn: res.json().TaskDefinition.TaskDefinitionArn, webSecretArn: res.json().Credentials.webserver.ARN }
}

async function familyArns(clients: ReturnType<typeof motoClients>, family: string, status: 'ACTIVE' | 'INACTIVE') {
  return (await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status }))).taskDefinitionArns ?? []
}

/** Whether the secret exists and is not scheduled for deletion; only "not found" counts as absent. */
async function secretLive(clients: ReturnType<typeof motoClients>, id: string): Promise<boolean> {
  try {
    return (await clients.secrets.send(new DescribeSecretCommand({ SecretId: id }))).DeletedDate === undefined
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false
    throw err
  }
}

interface OperationBody {
  status: string
  events: { message: string }[]
}

/** Deletes the service recursively and follows the operation to its end, on the app that runs it. */
async function deleteRecursively(): Promise<OperationBody> {
  const app = await buildTestApp()
  const res = await app.inject({ method: 'DELETE', url: `${SERVICE_URL}?recursive=true`, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(202)
  const location = String(res.headers.location)
  return waitFor(
    `operation ${location}`,
    async () => {
      const op = (await app.inject({ method: 'GET', url: location, headers: authHeaders })).json<OperationBody>()
      return op.status === 'succeeded' || op.status === 'failed' ? op : undefined
    },
    60_000,
  )
}

describe('a service update that names another family', () => {
  it("moves a service to the seed's family with the seed's bodies verbatim; the credential left out is kept", async () => {
    const clients = motoClients()
    const { webSecretArn } = await createWebservers()

    const taskdef = await request('PUT', SERVICE_URL, seedFixture('service-update-taskdef.json'))
    expect(taskdef.statusCode, taskdef.body).toBe(200)
    expect(taskdef.json().TaskDefinition.Family).toBe('supercool-service')
    expect(taskdef.json().TaskDefinition.Revision).toBe(1)
    const service = await motoService(clients.ecs, 'space1', 'web')
    expect(service?.taskDefinition).toBe(taskdef.json().TaskDefinition.TaskDefinitionArn)
    // The credentials rule holds across the move: the container the body leaves without credentials keeps its secret.
    const td = (await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'supercool-service:1', include: ['TAGS'] })))
    const web = td.taskDefinition!.containerDefinitions!.find((c) => c.name === 'webserver')
    expect(web?.repositoryCredentials?.credentialsParameter).toBe(webSecretArn)
    expect(td.tags).toEqual(expect.arrayContaining([...managedTags(TEST_ORG, 'space1'), { key: 'spinup:service', value: 'web' }]))
    expect((await clients.secrets.send(new GetSecretValueCommand({ SecretId: webSecretArn }))).SecretString).toBe(WEB_SECRET)

    const added = await request('PUT', SERVICE_URL, seedFixture('service-update-add-credentials.json'))
    expect(added.statusCode, added.body).toBe(200)
    expect(added.json().TaskDefinition.Family).toBe('supercool-service')
    expect(added.json().TaskDefinition.Revision).toBe(2)
    const updated = await request('PUT', SERVICE_URL, seedFixture('service-update-credentials-arn.json'))
    expect(updated.statusCode, updated.body).toBe(200)
    expect(updated.json().TaskDefinition.Revision).toBe(3)
    expect(await familyArns(clients, 'webservers', 'ACTIVE')).toHaveLength(1)
  })

  it("removes every family the service ran, and their credential secrets, on a recursive delete after the seed's three bodies", async () => {
    const clients = motoClients()
    const { webSecretArn } = await createWebservers()
    let privateArn = ''
    for (const body of ['service-update-taskdef.json', 'service-update-add-credentials.json', 'service-update-credentials-arn.json']) {
      const moved = await request('PUT', SERVICE_URL, seedFixture(body))
      expect(moved.statusCode, `${body}: ${moved.body}`).toBe(200)
      privateArn ||= (moved.json().Credentials?.privateapi?.ARN as string | undefined) ?? ''
    }
    expect(privateArn).not.toBe('')
    expect(await familyArns(clients, 'supercool-service', 'ACTIVE')).toHaveLength(3)

    const op = await deleteRecursively()
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    expect(op.events.map((e) => e.message).filter((m) => m.startsWith('deregistered'))).toHaveLength(2)
    for (const family of ['webservers', 'supercool-service']) {
      // Deregistered, as every delete of a family does (ECS keeps INACTIVE revisions as history).
      expect(await familyArns(clients, family, 'ACTIVE')).toEqual([])
      expect(await familyArns(clients, family, 'INACTIVE')).not.toEqual([])
    }
    expect(await secretLive(clients, webSecretArn)).toBe(false)
    expect(await secretLive(clients, privateArn)).toBe(false)
    expect((await motoInventory(clients)).activeServices).toEqual([])
  })

  it('drops a credential the body empties explicitly across the move, deleting its secret', async () => {
    const clients = motoClients()
    const { webSecretArn } = await createWebservers()
    const res = await request('PUT', SERVICE_URL, {
      TaskDefinition: {
        family: 'supercool-service',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine', repositoryCredentials: {} }],
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().TaskDefinition.Family).toBe('supercool-service')
    const td = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'supercool-service:1' }))
    expect(td.taskDefinition!.containerDefinitions!.find((c) => c.name === 'webserver')?.repositoryCredentials).toBeUndefined()
    expect(await secretLive(clients, webSecretArn)).toBe(false)
  })

  it('keeps a family the service moved away from while another service of the space runs it', async () => {
    const clients = motoClients()
    await createWebservers()
    // A second service of the space runs `webservers` too (its revision registered for it).
    const app = await buildTestApp()
    const second = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/services',
      headers: authHeaders,
      payload: { service: { serviceName: 'api', cluster: 'space1', taskDefinition: 'webservers:1', desiredCount: 1 } },
    })
    expect(second.statusCode, second.body).toBe(200)
    expect((await request('PUT', SERVICE_URL, seedFixture('service-update-taskdef.json'))).statusCode).toBe(200)

    const op = await deleteRecursively()
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    expect(op.events.map((e) => e.message)).toContain('kept task definition webservers: service api still runs it')
    expect(await familyArns(clients, 'webservers', 'ACTIVE')).toHaveLength(1)
    expect(await familyArns(clients, 'supercool-service', 'ACTIVE')).toEqual([])
  })

  it("moves a service to a family another service of the space runs, as that family's next revision", async () => {
    const clients = motoClients()
    await createWebservers()
    const app = await buildTestApp()
    const other = await app.inject({
      method: 'POST',
      url: '/v1/ecs/main/services',
      headers: authHeaders,
      payload: {
        cluster: { clusterName: 'space1' },
        taskDefinition: { family: 'apis', cpu: '256', memory: '512', containerDefinitions: [{ name: 'api', image: 'nginx:alpine' }] },
        service: { serviceName: 'api', desiredCount: 1 },
      },
    })
    expect(other.statusCode, other.body).toBe(200)

    const res = await request('PUT', SERVICE_URL, {
      TaskDefinition: { family: 'apis', cpu: '256', memory: '512', containerDefinitions: [{ name: 'webserver', image: 'nginx:2' }] },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().TaskDefinition.Family).toBe('apis')
    expect(res.json().TaskDefinition.Revision).toBe(2)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(res.json().TaskDefinition.TaskDefinitionArn)
    // The other service still runs its own revision.
    expect((await motoService(clients.ecs, 'space1', 'api'))?.taskDefinition).toBe(other.json().TaskDefinition.TaskDefinitionArn)
  })

  it('refuses a family of another org, another space or a managed task definition (409); nothing changed', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await createWebservers()
    const register = async (family: string, org: string, space: string, flavor = 'service') =>
      clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }],
          tags: managedTags(org, space, flavor),
        }),
      )
    await register('fam-theirs', OTHER_ORG, 'space1')
    await register('fam-space2', TEST_ORG, 'space2')
    await register('fam-managed', TEST_ORG, 'space1', 'task')
    const before = await motoInventory(clients)
    for (const family of ['fam-theirs', 'fam-space2', 'fam-managed']) {
      const res = await request('PUT', SERVICE_URL, {
        TaskDefinition: { family, cpu: '256', memory: '512', containerDefinitions: [{ name: 'webserver', image: 'nginx:2' }] },
      })
      expect(res.statusCode, res.body).toBe(409)
      expect(res.json().code).toBe('Conflict')
      expect(res.json().detail).toContain(family)
    }
    expect(await motoInventory(clients)).toEqual(before)
    expect((await motoService(clients.ecs, 'space1', 'web'))?.taskDefinition).toBe(taskDefinitionArn)
  })
})
