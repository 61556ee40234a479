import { DescribeClustersCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { ListRoleTagsCommand } from '@aws-sdk/client-iam'
import { ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, TEST_ORG, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { seedFixture } from '../codec/seed-shapes.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { awsState, createBody, createTaskDef, expectProblem, motoClients, OTHER_ORG, put, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

type Clients = ReturnType<typeof motoClients>
const URL = `/v1/ecs/main/clusters/${SPACE}/taskdefs/job`
const PREFIX = `spinup/${TEST_ORG}/${SPACE}/`

interface Updated {
  TaskDefinition: { Revision: number; TaskDefinitionArn: string; ContainerDefinitions: { Name: string; RepositoryCredentials?: { CredentialsParameter: string } }[] }
  Credentials: Record<string, { ARN: string; Name?: string }> | null
  CloudwatchLogGroups: string[]
  Tags: { Key: string; Value: string }[]
  Cluster: { ClusterName: string }
}

async function update(app: FastifyInstance, body: unknown, url = URL): Promise<Updated> {
  const res = await put(app, url, body)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Updated>()
}
const value = async (c: Clients, id: string) => (await c.secrets.send(new GetSecretValueCommand({ SecretId: id }))).SecretString
const secretNames = async (c: Clients) => ((await c.secrets.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => s.Name).sort()
const credsOf = (u: Updated, name: string) => u.TaskDefinition.ContainerDefinitions.find((x) => x.Name === name)?.RepositoryCredentials?.CredentialsParameter

/** The create body's task definition with these containers. */
function definition(containers: Record<string, unknown>[]): Record<string, unknown> {
  return { family: 'job', cpu: '256', memory: '512', containerDefinitions: containers }
}
const main = { name: 'main', image: 'busybox:2', memoryReservation: 128 }
const api = (extra: Record<string, unknown> = {}) => ({ name: 'api', image: 'registry.example.com/api:2', memoryReservation: 128, ...extra })

describe('PUT /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}', () => {
  it('with an empty body re-applies the current tags to the cluster, log group, role, revision and secrets', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const body = await update(app, {})
    expect(body.TaskDefinition.Revision).toBe(1)
    expect(body.Credentials).toBeNull()
    expect(body.CloudwatchLogGroups).toEqual([`arn:aws:logs:us-east-1:123456789012:log-group:${SPACE}`])
    expect(body.Tags).toContainEqual({ Key: 'spinup:flavor', Value: 'task' })

    const cluster = (await c.ecs.send(new DescribeClustersCommand({ clusters: [SPACE], include: ['TAGS'] }))).clusters?.[0]
    expect(cluster?.tags).toContainEqual({ key: 'Name', value: SPACE })
    const group = await c.logs.send(new ListTagsForResourceCommand({ resourceArn: body.CloudwatchLogGroups[0] }))
    expect(group.tags?.Name).toBe(SPACE)
    const role = await c.iam.send(new ListRoleTagsCommand({ RoleName: `${SPACE}-ecsTaskExecution` }))
    expect(role.Tags).toContainEqual({ Key: 'Name', Value: `${SPACE}-ecsTaskExecution` })
    const secret = await c.secrets.send(new DescribeSecretCommand({ SecretId: created.Credentials?.api?.ARN }))
    expect(secret.Tags).toContainEqual({ Key: 'Application', Value: 'demo' })
  })

  it('with tags only: cleans them with flavor task (never service) and tags the current revision', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const body = await update(app, { Tags: [{ Key: 'Owner', Value: 'ops' }, { Key: 'spinup:org', Value: TEST_ORG }, { Key: 'spinup:flavor', Value: 'service' }] })
    expect(body.Tags).toEqual([
      { Key: 'spinup:org', Value: TEST_ORG },
      { Key: 'spinup:spaceid', Value: SPACE },
      { Key: 'spinup:type', Value: 'container' },
      { Key: 'spinup:flavor', Value: 'task' },
      { Key: 'Owner', Value: 'ops' },
    ])
    const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job', include: ['TAGS'] }))
    expect(td.tags).toContainEqual({ key: 'Owner', value: 'ops' })
    expect(td.tags).toContainEqual({ key: 'spinup:flavor', value: 'task' })
    expect(td.taskDefinition?.revision).toBe(1)
  })

  it('registers a new revision; a container sending its current ARN keeps its secret untouched', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const arn = created.Credentials!.api!.ARN
    const body = await update(app, { TaskDefinition: definition([main, api({ repositoryCredentials: { credentialsParameter: arn } })]) })
    expect(body.TaskDefinition.Revision).toBe(2)
    expect(credsOf(body, 'api')).toBe(arn)
    expect(body.Credentials).toBeNull()
    expect(await value(c, arn)).toBe('{"username":"u","password":"p"}')
    expect(body.TaskDefinition.ContainerDefinitions[0]).toMatchObject({ Name: 'main' })
  })

  it('keeps the family and task size of the current revision when the body leaves them out', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const arn = created.Credentials!.api!.ARN
    const body = await update(app, { TaskDefinition: { containerDefinitions: [main, api({ repositoryCredentials: { credentialsParameter: arn } })] } })
    expect(body.TaskDefinition).toMatchObject({ Revision: 2, Family: 'job', Cpu: '256', Memory: '512' })
    const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job:2' }))
    expect(td.taskDefinition?.containerDefinitions?.[0]?.image).toBe('busybox:2')
  })

  it('a credentials entry for a container with a secret overwrites its value; a different ARN sent is replaced by the current one', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const arn = created.Credentials!.api!.ARN
    const elsewhere = (await c.secrets.send(new CreateSecretCommand({ Name: `${PREFIX}other`, SecretString: 'x' }))).ARN
    const body = await update(app, {
      TaskDefinition: definition([main, api({ repositoryCredentials: { credentialsParameter: elsewhere } })]),
      Credentials: { api: { SecretString: '{"username":"u","password":"new"}' } },
    })
    expect(credsOf(body, 'api')).toBe(arn)
    expect(body.Credentials?.api?.ARN).toBe(arn)
    expect(await value(c, arn)).toBe('{"username":"u","password":"new"}')
    expect(await value(c, elsewhere!)).toBe('x')
  })

  it('a credentials entry for a container without a secret creates spinup/<org>/<cluster>/<name>', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    const body = await update(app, {
      TaskDefinition: definition([main, api({ repositoryCredentials: { credentialsParameter: (await createTaskDefArn(c)) } })]),
      Credentials: { main: { Name: 'main-cred', SecretString: 'm' } },
    })
    expect(body.Credentials?.main?.Name).toBe(`${PREFIX}main-cred`)
    expect(credsOf(body, 'main')).toBe(body.Credentials?.main?.ARN)
    expect(await value(c, `${PREFIX}main-cred`)).toBe('m')
  })

  it('a container whose body leaves repositoryCredentials out keeps its secret (the seed update body, verbatim)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    // The seed's service update example, sent to a task definition of that family whose container has a secret.
    const created = await createTaskDef(
      app,
      createBody({
        taskdefinition: { ...definition([{ name: 'webserver', image: 'nginx:alpine', memoryReservation: 128 }]), family: 'supercool-service' },
        credentials: { webserver: { Name: 'web-cred', SecretString: 'web-login' } },
      }),
    )
    const arn = created.Credentials!.webserver!.ARN
    const body = await update(app, seedFixture('service-update-taskdef.json'), `/v1/ecs/main/clusters/${SPACE}/taskdefs/supercool-service`)
    expect(body.TaskDefinition).toMatchObject({ Revision: 2, Memory: '1024' })
    expect(credsOf(body, 'webserver')).toBe(arn)
    expect(body.Credentials).toBeNull()
    expect(await value(c, arn)).toBe('web-login')
    expect(await secretNames(c)).toEqual([`${PREFIX}web-cred`])
  })

  it('a container that sends "repositoryCredentials": {} drops its secret: deleted after the new revision exists', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const body = await update(app, { TaskDefinition: definition([main, api({ repositoryCredentials: {} })]) })
    expect(body.TaskDefinition.Revision).toBe(2)
    expect(credsOf(body, 'api')).toBeUndefined()
    expect(await secretNames(c)).toEqual([])
    // The first revision still exists and still names the (now deleted) secret: only the new one changed.
    const first = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job:1' }))
    expect(first.taskDefinition?.containerDefinitions?.find((x) => x.name === 'api')?.repositoryCredentials?.credentialsParameter).toBe(
      created.Credentials!.api!.ARN,
    )
  })

  it('"repositoryCredentials": {} together with a credentials entry keeps the secret with the new value', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const arn = created.Credentials!.api!.ARN
    const body = await update(app, {
      TaskDefinition: definition([main, api({ repositoryCredentials: {} })]),
      Credentials: { api: { SecretString: 'entry-value' } },
    })
    expect(credsOf(body, 'api')).toBe(arn)
    expect(await value(c, arn)).toBe('entry-value')
  })

  it('moves a secret living outside the space path into it, copying its value, and deletes the old one (org-tagged)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app, createBody({ credentials: undefined }))
    const legacy = await c.secrets.send(
      new CreateSecretCommand({ Name: 'legacy/api-login', SecretString: 'old-value', Tags: [{ Key: 'spinup:org', Value: TEST_ORG }] }),
    )
    await registerRevisionWith(c, legacy.ARN!)
    const body = await update(app, { TaskDefinition: definition([main, api({ repositoryCredentials: { credentialsParameter: legacy.ARN } })]) })
    expect(body.Credentials?.api?.Name).toBe(`${PREFIX}api-login`)
    expect(credsOf(body, 'api')).toBe(body.Credentials?.api?.ARN)
    expect(await value(c, `${PREFIX}api-login`)).toBe('old-value')
    expect(await secretNames(c)).toEqual([`${PREFIX}api-login`])
  })

  it('moves an outside secret with the value of a credentials entry, and leaves an old secret that is not the org alone', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app, createBody({ credentials: undefined }))
    const legacy = await c.secrets.send(new CreateSecretCommand({ Name: 'shared-login', SecretString: 'old-value' }))
    await registerRevisionWith(c, legacy.ARN!)
    const body = await update(app, {
      TaskDefinition: definition([main, api()]),
      Credentials: { api: { SecretString: 'entry-value' } },
    })
    expect(await value(c, `${PREFIX}shared-login`)).toBe('entry-value')
    expect(credsOf(body, 'api')).toBe(body.Credentials?.api?.ARN)
    expect(await secretNames(c)).toEqual(['shared-login', `${PREFIX}shared-login`])
  })

  it('when registering fails (injected in the SDK client), rolls back new secrets and overwritten values and deletes nothing', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const created = await createTaskDef(app)
    const arn = created.Credentials!.api!.ARN
    failAwsCall(app, 'ecs', 'RegisterTaskDefinition', awsError('ClientException', 400, 'Too many revisions'))
    const before = await awsState(c)
    const res = await put(app, URL, {
      TaskDefinition: definition([main, api()]),
      Credentials: { api: { SecretString: 'changed' }, main: { SecretString: 'new' } },
    })
    expectProblem(res, 400, 'BadRequest', /failed at step register-task-definition/)
    expect(res.json().rolledBack).toContain('update-repository-credentials')
    expect(await awsState(c)).toEqual(before)
    expect(await value(c, arn)).toBe('{"username":"u","password":"p"}')
  })

  it('when tagging fails after registering (injected), rolls back the revision and the secrets it made', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createTaskDef(app)
    testWorkflowHooks.current = {
      onStepStart: (step) => {
        if (step === 'apply-tags') throw new Error('apply-tags failed (injected by the workflow observer)')
      },
    }
    const before = await awsState(c)
    const res = await put(app, URL, { TaskDefinition: definition([main, api()]), Credentials: { main: { SecretString: 'new' } } })
    expect(res.statusCode).toBe(500)
    expect(await awsState(c)).toEqual(before)
    expect((await c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'job' }))).taskDefinitionArns).toHaveLength(1)
  })

  describe('bad input: 4xx, nothing changed', () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['a family other than the path', { TaskDefinition: { ...definition([main]), family: 'other' } }, 400, /taskDefinition\.family must be job/],
      ['credentials without a task definition', { Credentials: { api: { SecretString: 'x' } } }, 400, /only be changed together with a taskDefinition/],
      ['credentials for a missing container', { TaskDefinition: definition([main]), Credentials: { api: { SecretString: 'x' } } }, 400, /credentials\.api names no container/],
      ['a container without image', { TaskDefinition: definition([{ name: 'main' }]) }, 400, /containerDefinitions\[0\]\.image is required/],
      [
        // A container that has a secret keeps it whatever ARN it sends; one without may only name the space's.
        'an ARN outside the space for a container without a secret',
        { TaskDefinition: definition([{ ...main, repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf' } }, api()]) },
        400,
        /credentialsParameter must be a secret named/,
      ],
      ['tags of another org', { Tags: [{ Key: 'spinup:org', Value: OTHER_ORG }] }, 403, /not a part of our org/],
      ['a null body', null, 400, /body/],
    ]
    it.each(cases)('%s', async (_name, body, status, detail) => {
      const app = await buildTestApp()
      const c = motoClients()
      await createTaskDef(app)
      const before = await awsState(c)
      expectProblem(await put(app, URL, body), status, status === 403 ? 'Forbidden' : 'BadRequest', detail)
      expect(await awsState(c)).toEqual(before)
    })
  })

  it("is a 404 for another org's task definition or cluster, an unknown family, and answers at /cluster/ too", async () => {
    const app = await buildTestApp()
    const foreign = await buildTestApp({ org: OTHER_ORG })
    const c = motoClients()
    await createTaskDef(foreign, createBody({ cluster: { clusterName: 'theirs' }, taskdefinition: definition([main]), credentials: undefined }))
    await createTaskDef(app, createBody({ taskdefinition: { ...definition([main, api()]), family: 'mine' } }))
    const before = await awsState(c, ['job', 'mine'])
    for (const url of ['/v1/ecs/main/clusters/theirs/taskdefs/job', `/v1/ecs/main/clusters/${SPACE}/taskdefs/job`, `/v1/ecs/main/clusters/${SPACE}/taskdefs/nope`]) {
      expectProblem(await put(app, url, { Tags: [{ Key: 'a', Value: 'b' }] }), 404, 'NotFound')
      expectProblem(await put(app, url, { TaskDefinition: definition([main]) }), 404, 'NotFound')
    }
    expect(await awsState(c, ['job', 'mine'])).toEqual(before)
    expect((await update(app, {}, `/v1/ecs/main/cluster/${SPACE}/taskdefs/mine`)).TaskDefinition.Revision).toBe(1)
  })
})

/** The ARN of the api container's secret in the current revision. */
async function createTaskDefArn(c: Clients): Promise<string> {
  const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job' }))
  return td.taskDefinition?.containerDefinitions?.find((x) => x.name === 'api')?.repositoryCredentials?.credentialsParameter ?? ''
}

/** A revision (as the original service left them) whose api container uses a secret outside the space path. */
async function registerRevisionWith(c: Clients, secretArn: string): Promise<void> {
  const current = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job', include: ['TAGS'] }))
  const td = current.taskDefinition!
  await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'job',
      cpu: td.cpu,
      memory: td.memory,
      networkMode: td.networkMode,
      requiresCompatibilities: td.requiresCompatibilities,
      executionRoleArn: td.executionRoleArn,
      containerDefinitions: (td.containerDefinitions ?? []).map((x) => (x.name === 'api' ? { ...x, repositoryCredentials: { credentialsParameter: secretArn } } : x)),
      tags: current.tags,
    }),
  )
}
