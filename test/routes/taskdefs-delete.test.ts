import {
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs'
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { GetRoleCommand } from '@aws-sdk/client-iam'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { beforeEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../harness/app.js'
import { existsInAws, motoEndpoint, setTaskTransition, useMotoReset } from '../harness/index.js'
import { waitFor } from '../operations/helpers.js'
import { awsState, createBody, createTaskDef, del, expectProblem, get, motoClients, OTHER_ORG, post, put, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
// Tasks stay RUNNING until stopped (moto otherwise moves them one status per DescribeTasks).
beforeEach(() => setTaskTransition(motoEndpoint(), { progression: 'manual', times: 1000 }))

type Clients = ReturnType<typeof motoClients>
interface OperationBody {
  id: string
  status: string
  kind: string
  target: Record<string, string>
  steps: { id: string; status: string }[]
  events?: { message: string }[]
  error?: { code: string; message: string }
}

/** Follows the operation at the response's Location until it has finished. */
async function finished(app: FastifyInstance, location: string): Promise<OperationBody> {
  return waitFor(`operation ${location}`, async () => {
    const res = await get(app, location)
    expect(res.statusCode, res.body).toBe(200)
    const op = res.json<OperationBody>()
    return op.status === 'succeeded' || op.status === 'failed' ? op : undefined
  }, 60_000)
}

async function deleteAndFollow(app: FastifyInstance, url: string): Promise<OperationBody> {
  const res = await del(app, url)
  expect(res.statusCode, res.body).toBe(202)
  expect(res.headers.location).toMatch(/^\/v1\/ecs\/main\/operations\//)
  expect(res.headers['x-flywheel-task']).toBe(String(res.headers.location).split('/').at(-1))
  return finished(app, String(res.headers.location))
}

const revisions = async (c: Clients, family: string, status: 'ACTIVE' | 'INACTIVE') =>
  (await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status }))).taskDefinitionArns ?? []
const secretNames = async (c: Clients) => ((await c.secrets.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => s.Name).sort()
const clusterStatus = async (c: Clients, name = SPACE) =>
  (await c.ecs.send(new DescribeClustersCommand({ clusters: [name] }))).clusters?.[0]?.status
const roleExists = (c: Clients, name = `${SPACE}-ecsTaskExecution`) => existsInAws(c.iam.send(new GetRoleCommand({ RoleName: name })))

/** Three revisions of `job`: the first with a secret, the second dropping it for another, the third without. */
async function threeRevisions(app: FastifyInstance): Promise<void> {
  await createTaskDef(app)
  await put(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job`, { Tags: [{ Key: 'x', Value: 'y' }] })
  const td = createBody().taskdefinition as Record<string, unknown>
  const res = await put(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job`, {
    TaskDefinition: { ...td, containerdefinitions: [{ name: 'main', image: 'busybox', memoryReservation: 128 }, { name: 'api', image: 'api:2', memoryReservation: 128, repositoryCredentials: {} }] },
    Credentials: { main: { Name: 'main-cred', SecretString: 'm' } },
  })
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json().TaskDefinition.Revision).toBe(2)
  await createTaskDef(app, createBody({ credentials: undefined }))
}

describe('DELETE /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}', () => {
  it('answers 202 and deregisters every revision once with all their secrets; cluster and role stay', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await threeRevisions(app)
    expect(await revisions(c, 'job', 'ACTIVE')).toHaveLength(3)
    expect(await secretNames(c)).toHaveLength(1)

    const res = await del(app, `/v1/ecs/main/cluster/${SPACE}/taskdefs/job:2`)
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toEqual({ Cluster: SPACE, TaskDefinition: 'job:2', Tasks: null })
    const op = await finished(app, String(res.headers.location))
    expect(op).toMatchObject({ status: 'succeeded', kind: 'taskdef.delete', target: { cluster: SPACE, taskDefinition: 'job' } })
    expect(op.steps.map((s) => s.id)).toEqual(['delete-schedules', 'stop-tasks', 'wait-tasks-stopped', 'delete-revisions'])
    // Revision 1's secret went with the update that dropped it: only the one still there is deleted.
    expect(op.events?.map((e) => e.message)).toContain('deregistered 3 revision(s), deleted 1 credential secret(s)')

    expect(await revisions(c, 'job', 'ACTIVE')).toEqual([])
    expect(await revisions(c, 'job', 'INACTIVE')).toHaveLength(3)
    expect(await secretNames(c)).toEqual([])
    expect((await get(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs`)).json()).toEqual([])
    expectProblem(await get(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job`), 404, 'NotFound')
    expect(await clusterStatus(c)).toBe('ACTIVE')
    expect(await roleExists(c)).toBe(true)
  })

  it('is a 409 naming the count when tasks run and force is not set; nothing changes', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    expect((await post(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job/tasks`, { Count: 2 })).statusCode).toBe(200)
    const before = await awsState(c)
    for (const query of ['', '?force=false', '?recursive=true']) {
      expectProblem(await del(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job${query}`), 409, 'Conflict', /running tasks > 0 \(2\) and 'force' is not set/)
    }
    expect(await awsState(c)).toEqual(before)
  })

  it('with force stops the running tasks and waits until they are STOPPED before deregistering', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const run = await post(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job/tasks`, { Count: 2 })
    const arns = run.json<{ Tasks: { TaskArn: string }[] }>().Tasks.map((t) => t.TaskArn)
    const op = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job?force=true`)
    expect(op.status).toBe('succeeded')
    expect(op.steps.every((s) => s.status === 'succeeded')).toBe(true)
    expect(op.events?.map((e) => e.message)).toEqual(expect.arrayContaining(['asked 2 task(s) to stop', '2 task(s) stopped']))
    const tasks = (await c.ecs.send(new DescribeTasksCommand({ cluster: SPACE, tasks: arns }))).tasks ?? []
    expect(tasks.map((t) => t.desiredStatus)).toEqual(['STOPPED', 'STOPPED'])
    expect(tasks[0]?.stoppedReason).toBe('Deleting task definition job')
    expect(await revisions(c, 'job', 'ACTIVE')).toEqual([])
  })

  it('with recursive deletes the cluster and then its role when nothing else is left; the log group stays', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const op = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job?recursive=true`)
    expect(op.status).toBe('succeeded')
    expect(op.steps.map((s) => s.id)).toContain('clean-up-cluster')
    expect(await clusterStatus(c)).toBe('INACTIVE')
    expect(await roleExists(c)).toBe(false)
    expect((await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: SPACE }))).logGroups?.map((g) => g.logGroupName)).toEqual([SPACE])
    expect(await secretNames(c)).toEqual([])
  })

  it('with recursive keeps the cluster and role while another managed task definition or a service is in it', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'other' } }))
    const kept = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/job?recursive=1`)
    expect(kept.status).toBe('succeeded')
    expect(kept.events?.map((e) => e.message)).toContain(`kept cluster ${SPACE}: task definitions other still use it`)
    expect(await clusterStatus(c)).toBe('ACTIVE')
    expect(await roleExists(c)).toBe(true)

    // The last task definition goes, but a service (of a family of its own) still runs in the cluster.
    const subnets = app.accounts.get('main')?.config.defaultSubnets ?? []
    const sgs = app.accounts.get('main')?.config.defaultSgs ?? []
    await c.ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'svc', networkMode: 'awsvpc', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }),
    )
    await c.ecs.send(
      new CreateServiceCommand({
        cluster: SPACE,
        serviceName: 'web',
        taskDefinition: 'svc',
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [...subnets], securityGroups: [...sgs] } },
      }),
    )
    const keptAgain = await deleteAndFollow(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/other?recursive=true`)
    expect(keptAgain.events?.map((e) => e.message)).toContain(`kept cluster ${SPACE}: 1 service(s) still in it`)
    expect(await clusterStatus(c)).toBe('ACTIVE')
    expect(await revisions(c, 'other', 'ACTIVE')).toEqual([])
  })

  it("is a 409 for a service's family and for a family an ACTIVE service runs; revisions, secrets and services stay", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    // A service made through the API: its family is flavor service, with a credential secret.
    const created = await post(app, '/v1/ecs/main/services', {
      cluster: { clusterName: SPACE },
      taskDefinition: { family: 'websvc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'web', image: 'nginx', memoryReservation: 128 }] },
      credentials: { web: { Name: 'web-cred', SecretString: '{"username":"u","password":"p"}' } },
      service: { serviceName: 'websvc', desiredCount: 0 },
    })
    expect(created.statusCode, created.body).toBe(200)
    // A service that runs the managed task definition job.
    const subnets = app.accounts.get('main')?.config.defaultSubnets ?? []
    const sgs = app.accounts.get('main')?.config.defaultSgs ?? []
    await c.ecs.send(
      new CreateServiceCommand({
        cluster: SPACE,
        serviceName: 'jobsvc',
        taskDefinition: 'job',
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [...subnets], securityGroups: [...sgs] } },
      }),
    )
    const before = await awsState(c, ['job', 'websvc'])
    for (const [family, detail] of [
      ['websvc', /family websvc belongs to a service/],
      ['websvc:1', /family websvc belongs to a service/],
      ['job', /family job is used by service jobsvc/],
      ['job:1', /family job is used by service jobsvc/],
    ] as const) {
      expectProblem(await del(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/${family}?force=true&recursive=true`), 409, 'Conflict', detail)
    }
    expect(await awsState(c, ['job', 'websvc'])).toEqual(before)
    expect(await revisions(c, 'websvc', 'ACTIVE')).toHaveLength(1)
    expect(await secretNames(c)).toContain(`spinup/testorg/${SPACE}/web-cred`)
    const services = await c.ecs.send(new DescribeServicesCommand({ cluster: SPACE, services: ['websvc', 'jobsvc'] }))
    expect(services.services?.map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE'])
    expect(await clusterStatus(c)).toBe('ACTIVE')
  })

  it("is a 404 for another org's task definition or cluster and an unknown family; a 400 for a malformed one", async () => {
    const app = await buildTestApp()
    const foreign = await buildTestApp({ org: OTHER_ORG })
    const c = motoClients()
    await createTaskDef(foreign, createBody({ cluster: { clusterName: 'theirs' } }))
    await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'mine' } }))
    const before = await awsState(c, ['job', 'mine'])
    for (const url of [
      '/v1/ecs/main/clusters/theirs/taskdefs/job?force=true&recursive=true',
      `/v1/ecs/main/clusters/${SPACE}/taskdefs/job?force=true&recursive=true`,
      `/v1/ecs/main/clusters/${SPACE}/taskdefs/nope`,
      '/v1/ecs/main/clusters/missing/taskdefs/mine',
    ]) {
      expectProblem(await del(app, url), 404, 'NotFound')
    }
    expectProblem(await del(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/mine:zero`), 400, 'BadRequest')
    expect(await awsState(c, ['job', 'mine'])).toEqual(before)
    expect(await clusterStatus(c, 'theirs')).toBe('ACTIVE')
  })
})
