import { CreateClusterCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { GetRolePolicyCommand } from '@aws-sdk/client-iam'
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { ASSUMED_ACCOUNT_ID, buildTestApp, TEST_ORG } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import {
  awsState,
  createBody,
  createTaskDef,
  expectProblem,
  get,
  motoClients,
  OTHER_ORG,
  post,
  SPACE,
} from './taskdefs-fixtures.js'

useMotoReset()

describe('POST /v1/ecs/{account}/taskdefs', () => {
  it('creates the seed body as written: cluster, role, log group, credentials and a Fargate task definition', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const body = await createTaskDef(app, seedFixture('taskdef-create.json') as Record<string, unknown>)

    expect(body.Cluster).toMatchObject({ ClusterName: 'myclu', Status: 'ACTIVE', CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] })
    expect(body.Credentials?.api?.ARN).toMatch(/:secret:spinup\/testorg\/myclu\/api-/)
    expect(body.TaskDefinition).toMatchObject({
      Family: 'supercool',
      Revision: 1,
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/myclu-ecsTaskExecution',
      TaskRoleArn: 'arn:aws:iam::123456789012:role/myclu-ecsTaskExecution',
    })
    const containers = body.TaskDefinition.ContainerDefinitions as { Name: string; LogConfiguration?: unknown; RepositoryCredentials?: unknown }[]
    expect(containers.map((x) => x.Name)).toEqual(['nginx', 'api'])
    expect(containers[0]!.LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-region': 'us-east-1',
        'awslogs-create-group': 'true',
        'awslogs-group': 'myclu',
        'awslogs-stream-prefix': 'supercool',
      },
    })
    expect(containers[1]!.RepositoryCredentials).toEqual({ CredentialsParameter: body.Credentials?.api?.ARN })
    expect(containers[0]!.RepositoryCredentials).toBeUndefined()

    // AWS state, read from moto.
    const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'supercool', include: ['TAGS'] }))
    expect(td.tags).toEqual([
      { key: 'spinup:org', value: TEST_ORG },
      { key: 'spinup:spaceid', value: 'myclu' },
      { key: 'spinup:type', value: 'container' },
      { key: 'spinup:flavor', value: 'task' },
      { key: 'Application', value: 'myclu' },
      { key: 'COA', value: 'Bill.Me.Please.COA' },
    ])
    const secret = await c.secrets.send(new DescribeSecretCommand({ SecretId: 'spinup/testorg/myclu/api' }))
    expect(secret.Tags).toContainEqual({ Key: 'spinup:flavor', Value: 'task' })
    const policy = await c.iam.send(new GetRolePolicyCommand({ RoleName: 'myclu-ecsTaskExecution', PolicyName: 'ECSTaskAccessPolicy' }))
    expect(policy.PolicyDocument).toBeDefined()
  })

  it('answers Credentials null when none were asked for, and adds a revision to the same family', async () => {
    const app = await buildTestApp()
    const first = await createTaskDef(app, createBody({ credentials: undefined }))
    expect(first.Credentials).toBeNull()
    const second = await createTaskDef(app, createBody({ credentials: undefined }))
    expect(second.TaskDefinition.Revision).toBe(2)
  })

  it('reuses an ACTIVE cluster of the org without changing its providers or tags', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await c.ecs.send(
      new CreateClusterCommand({ clusterName: SPACE, tags: [{ key: 'spinup:org', value: TEST_ORG }], capacityProviders: ['FARGATE'] }),
    )
    const before = await awsState(c)
    await createTaskDef(app)
    const after = await awsState(c)
    expect(after.clusters).toEqual(before.clusters)
  })

  it('works in an account reached by AssumeRole, and only there', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const body = await createTaskDef(app, createBody(), 'other')
    expect(body.TaskDefinition.TaskDefinitionArn).toContain(`:${ASSUMED_ACCOUNT_ID}:task-definition/job:1`)
    expect((await awsState(c)).taskDefinitions).toEqual([])
  })

  describe('bad input: 400 naming the field, nothing created in AWS', () => {
    const cases: [string, unknown, RegExp][] = [
      ['a null body', null, /body/],
      ['no cluster', createBody({ cluster: undefined }), /cluster is required/],
      ['no cluster name', createBody({ cluster: {} }), /cluster\.clusterName is required/],
      ['a cluster name IAM cannot fit in a role name', createBody({ cluster: { clusterName: 'x'.repeat(48) } }), /cluster\.clusterName is at most 47/],
      ['no task definition', createBody({ taskdefinition: undefined }), /taskDefinition is required/],
      ['no family', createBody({ taskdefinition: { cpu: '256', memory: '512', containerDefinitions: [{ name: 'a', image: 'b' }] } }), /taskDefinition\.family is required/],
      [
        'a container without image',
        createBody({ taskdefinition: { family: 'job', cpu: '256', memory: '512', containerDefinitions: [{ name: 'a' }] } }),
        /containerDefinitions\[0\]\.image is required/,
      ],
      [
        'a container without name',
        createBody({ taskdefinition: { family: 'job', cpu: '256', memory: '512', containerDefinitions: [{ image: 'busybox' }] } }),
        /containerDefinitions\[0\]\.name is required/,
      ],
      [
        'cpu/memory that Fargate has no size for',
        createBody({ taskdefinition: { family: 'job', cpu: '256', memory: '4096', containerDefinitions: [{ name: 'main', image: 'b' }] } }),
        /cpu\/memory invalid: memory 4096 does not fit cpu 256/,
      ],
      [
        'no task memory',
        createBody({ taskdefinition: { family: 'job', cpu: '256', containerDefinitions: [{ name: 'main', image: 'b' }] } }),
        /taskDefinition\.memory is required/,
      ],
      ['credentials for a container that does not exist', createBody({ credentials: { nope: { SecretString: 'x' } } }), /credentials\.nope names no container/],
      ['credentials without a value', createBody({ credentials: { api: { Name: 'x' } } }), /credentials\.api needs exactly one of SecretString and SecretBinary/],
      ['a wrong type', createBody({ taskdefinition: { family: 'job', cpu: 256 } }), /taskdefinition\.cpu/],
      [
        'repository credentials outside the space',
        createBody({
          credentials: undefined,
          taskdefinition: {
            family: 'job',
            cpu: '256',
            memory: '512',
            containerDefinitions: [{ name: 'main', image: 'b', repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf' } }],
          },
        }),
        /repositoryCredentials\.credentialsParameter must be a secret named spinup\/testorg\/space1\//,
      ],
      ['an invalid tag', createBody({ tags: [{ Key: '', Value: 'x' }] }), /tags\[0\]\.Key/],
    ]
    it.each(cases)('%s', async (_name, body, detail) => {
      const app = await buildTestApp()
      const c = motoClients()
      const before = await awsState(c)
      const res = await post(app, '/v1/ecs/main/taskdefs', body)
      expectProblem(res, 400, 'BadRequest', detail)
      expect(await awsState(c)).toEqual(before)
    })
  })

  it('refuses tags naming another org with 403, creating nothing', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const before = await awsState(c)
    for (const key of ['spinup:org', 'yale:org']) {
      const res = await post(app, '/v1/ecs/main/taskdefs', createBody({ tags: [{ Key: key, Value: OTHER_ORG }] }))
      expectProblem(res, 403, 'Forbidden', /not a part of our org/)
    }
    expect(await awsState(c)).toEqual(before)
  })

  it("is a 404 when the cluster is another org's, and a 409 when the family is; neither is touched", async () => {
    const app = await buildTestApp()
    const foreign = await buildTestApp({ org: OTHER_ORG })
    const c = motoClients()
    await createTaskDef(foreign)
    const before = await awsState(c)
    expectProblem(await post(app, '/v1/ecs/main/taskdefs', createBody()), 404, 'NotFound', /cluster space1 not found/)
    expectProblem(
      await post(app, '/v1/ecs/main/taskdefs', createBody({ cluster: { clusterName: 'mine' } })),
      409,
      'Conflict',
      /family job is already used outside cluster mine/,
    )
    expect(await awsState(c)).toEqual(before)
  })

  it("is a 409 when the family is a service's task definition in the space", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await c.ecs.send(new CreateClusterCommand({ clusterName: SPACE, tags: [{ key: 'spinup:org', value: TEST_ORG }] }))
    await c.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'job',
        containerDefinitions: [{ name: 'a', image: 'b', memory: 128 }],
        tags: [
          { key: 'spinup:org', value: TEST_ORG },
          { key: 'spinup:spaceid', value: SPACE },
          { key: 'spinup:type', value: 'container' },
          { key: 'spinup:flavor', value: 'service' },
        ],
      }),
    )
    const before = await awsState(c)
    expectProblem(await post(app, '/v1/ecs/main/taskdefs', createBody()), 409, 'Conflict', /family job belongs to a service/)
    expect(await awsState(c)).toEqual(before)
  })

  it('is a 404 for an unknown account, before anything else', async () => {
    const app = await buildTestApp()
    expectProblem(await post(app, '/v1/ecs/nope/taskdefs', createBody()), 404, 'NotFound', /account nope/)
  })
})

describe('GET /v1/ecs/{account}/clusters/{cluster}/taskdefs', () => {
  it("lists the org's managed families of the space, sorted, once each; not services', not other spaces'", async () => {
    const app = await buildTestApp()
    const c = motoClients()
    for (const family of ['zeta', 'alpha', 'alpha']) {
      await createTaskDef(app, createBody({ credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family } }))
    }
    await createTaskDef(app, createBody({ cluster: { clusterName: 'space2' }, credentials: undefined, taskdefinition: { ...(createBody().taskdefinition as object), family: 'elsewhere' } }))
    // A service's task definition in the same space is not a managed task definition.
    await c.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'svc',
        containerDefinitions: [{ name: 'a', image: 'b', memory: 128 }],
        tags: [
          { key: 'spinup:org', value: TEST_ORG },
          { key: 'spinup:spaceid', value: SPACE },
          { key: 'spinup:type', value: 'container' },
          { key: 'spinup:flavor', value: 'service' },
        ],
      }),
    )
    for (const url of [`/v1/ecs/main/clusters/${SPACE}/taskdefs`, `/v1/ecs/main/cluster/${SPACE}/taskdefs`]) {
      const res = await get(app, url)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toEqual(['alpha', 'zeta'])
    }
  })

  it('answers [] for a space without task definitions, and 404 for a missing cluster or one of another org', async () => {
    const app = await buildTestApp()
    const foreign = await buildTestApp({ org: OTHER_ORG })
    await createTaskDef(foreign, createBody({ cluster: { clusterName: 'theirs' } }))
    const c = motoClients()
    await c.ecs.send(new CreateClusterCommand({ clusterName: SPACE, tags: [{ key: 'spinup:org', value: TEST_ORG }] }))
    expect((await get(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs`)).json()).toEqual([])
    expectProblem(await get(app, '/v1/ecs/main/clusters/missing/taskdefs'), 404, 'NotFound')
    expectProblem(await get(app, '/v1/ecs/main/clusters/theirs/taskdefs'), 404, 'NotFound')
  })
})

describe('GET /v1/ecs/{account}/clusters/{cluster}/taskdefs/{taskdef}', () => {
  it('shows the latest revision by family, a given revision, or by ARN, with cluster and tags', async () => {
    const app = await buildTestApp()
    await createTaskDef(app, createBody({ credentials: undefined }))
    const second = await createTaskDef(app, createBody({ credentials: undefined }))
    const arn = second.TaskDefinition.TaskDefinitionArn as string
    for (const [ref, revision] of [['job', 2], ['job:1', 1], [encodeURIComponent(arn), 2]] as const) {
      const res = await get(app, `/v1/ecs/main/cluster/${SPACE}/taskdefs/${ref}`)
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json()
      expect(body.TaskDefinition.Revision).toBe(revision)
      expect(body.Cluster.ClusterName).toBe(SPACE)
      expect(body.Tags).toContainEqual({ Key: 'spinup:org', Value: TEST_ORG })
    }
  })

  it('is a 404 for a task definition of another org or another space, an unknown one, or a missing cluster', async () => {
    const app = await buildTestApp()
    const foreign = await buildTestApp({ org: OTHER_ORG })
    await createTaskDef(foreign, createBody({ cluster: { clusterName: 'theirs' }, taskdefinition: { ...(createBody().taskdefinition as object), family: 'theirjob' } }))
    await createTaskDef(app)
    await createTaskDef(app, createBody({ cluster: { clusterName: 'space2' }, taskdefinition: { ...(createBody().taskdefinition as object), family: 'other' } }))
    for (const url of [
      `/v1/ecs/main/clusters/${SPACE}/taskdefs/theirjob`,
      '/v1/ecs/main/clusters/theirs/taskdefs/theirjob',
      `/v1/ecs/main/clusters/${SPACE}/taskdefs/other`,
      `/v1/ecs/main/clusters/${SPACE}/taskdefs/nope`,
      `/v1/ecs/main/clusters/${SPACE}/taskdefs/job:9`,
      '/v1/ecs/main/clusters/missing/taskdefs/job',
    ]) {
      expectProblem(await get(app, url), 404, 'NotFound')
    }
  })

  it('is a 400 for a path that is not a family, family:revision or ARN', async () => {
    const app = await buildTestApp()
    for (const ref of ['job:0', 'a%20b', 'job:1:2', encodeURIComponent('arn:aws:ecs:us-east-1:123:service/x')]) {
      expectProblem(await get(app, `/v1/ecs/main/clusters/${SPACE}/taskdefs/${ref}`), 400, 'BadRequest', /is not a family/)
    }
  })
})

describe('OpenAPI', () => {
  it('documents every task definition and task route, under /clusters/', async () => {
    const app = await buildTestApp()
    const doc = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>()
    const base = '/v1/ecs/{account}/clusters/{cluster}'
    expect(Object.keys(doc.paths['/v1/ecs/{account}/taskdefs'] ?? {})).toEqual(['post'])
    expect(Object.keys(doc.paths[`${base}/taskdefs`] ?? {})).toEqual(['get'])
    expect(Object.keys(doc.paths[`${base}/taskdefs/{taskdef}`] ?? {}).sort()).toEqual(['delete', 'get', 'put'])
    expect(Object.keys(doc.paths[`${base}/taskdefs/{taskdef}/tasks`] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths[`${base}/taskdefs/{taskdef}/tasks/{task}`] ?? {}).sort()).toEqual(['delete', 'get'])
    expect(Object.keys(doc.paths[`${base}/tasks/{task}`] ?? {}).sort()).toEqual(['delete', 'get'])
    expect(doc.paths[`${base}/taskdefs/{taskdef}`]?.delete?.tags).toEqual(['taskdefs'])
  })
})
