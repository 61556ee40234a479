/**
 * A recursive service delete whose steps fail, one step per test: the operation ends failed, its
 * steps and events say what was removed and what remains, moto shows exactly that, and a retry of
 * the operation once the cause is gone finishes the job. moto refuses none of these calls, so the
 * refusals are injected in the app's own SDK client for the one command (the tests say so).
 */
import { DescribeClustersCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import { GetRoleCommand } from '@aws-sdk/client-iam'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'
import { ListServicesCommand as ListRegistriesCommand } from '@aws-sdk/client-servicediscovery'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, TEST_ORG, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { existsInAws } from '../harness/not-found.js'
import { awsError, failAwsCall, injectAwsFault } from './aws-fault.js'
import { deleteAndFollow, retryAndFollow, stepEvents, stepStatuses, type OperationBody } from './delete-operation-helpers.js'
import { motoClients, motoService } from './services-fixtures.js'

useMotoReset()

const SECRET = `spinup/${TEST_ORG}/space1/www-cred`
const url = '/v1/ecs/main/clusters/space1/services/www?recursive=true'

/** The service www in space1, as the API makes it: a revision with a credential secret, a Cloud Map registry. */
async function createService(app: FastifyInstance): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: { family: 'www-fam', cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'nginx' }] },
      credentials: { app: { Name: 'www-cred', SecretString: 'pw' } },
      service: { serviceName: 'www', desiredCount: 2 },
      serviceRegistry: { name: 'www', dnsConfig: { namespaceId: 'ns-abc', dnsRecords: [{ type: 'A', ttl: 30 }] } },
    },
  })
  expect(res.statusCode, res.body).toBe(200)
}

/** What the recursive delete removes, as moto has it now. */
async function leftInMoto(c: ReturnType<typeof motoClients>) {
  const [service, registries, revisions, secrets, cluster, role] = await Promise.all([
    motoService(c.ecs, 'space1', 'www'),
    c.discovery.send(new ListRegistriesCommand({})),
    c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'www-fam', status: 'ACTIVE' })),
    c.secrets.send(new ListSecretsCommand({})),
    c.ecs.send(new DescribeClustersCommand({ clusters: ['space1'] })),
    existsInAws(c.iam.send(new GetRoleCommand({ RoleName: 'space1-ecsTaskExecution' }))),
  ])
  return {
    service: service?.status,
    registries: (registries.Services ?? []).map((s) => s.Name),
    activeRevisions: revisions.taskDefinitionArns?.length ?? 0,
    secrets: (secrets.SecretList ?? []).map((s) => s.Name),
    cluster: cluster.clusters?.[0]?.status,
    role,
  }
}

const EVERYTHING = { service: 'ACTIVE', registries: ['www'], activeRevisions: 1, secrets: [SECRET], cluster: 'ACTIVE', role: true }
const NOTHING = { service: 'INACTIVE', registries: [], activeRevisions: 0, secrets: [], cluster: 'INACTIVE', role: false }

/** Retries `failed` (the fault ended) and expects the job finished: every step succeeded, nothing left. */
async function retryFinishes(app: FastifyInstance, c: ReturnType<typeof motoClients>, failed: OperationBody): Promise<OperationBody> {
  const done = await retryAndFollow(app, failed)
  expect(done.status, JSON.stringify(done)).toBe('succeeded')
  expect(done.steps.every((s) => s.status === 'succeeded')).toBe(true)
  expect(done.runs).toBe(2)
  expect(await leftInMoto(c)).toEqual(NOTHING)
  expect(stepEvents(done)).toContain('deleted cluster space1 and its task execution role')
  return done
}

describe('recursive service delete: a step fails, a retry finishes the job', () => {
  it('delete-service fails: nothing is removed (DeleteService refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createService(app)
    const heal = injectAwsFault(app, 'ecs', 'DeleteService', awsError('AccessDeniedException', 400, 'not allowed to delete services'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'delete-service', code: 'Forbidden', message: expect.stringContaining('not allowed to delete services') })
    expect(stepStatuses(op)).toEqual([
      ['delete-service', 'failed'],
      ['delete-registries', 'pending'],
      ['delete-revisions', 'pending'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op)).toEqual([])
    expect(await leftInMoto(c)).toEqual(EVERYTHING)

    heal()
    const done = await retryFinishes(app, c, op)
    expect(done.steps[0]).toMatchObject({ id: 'delete-service', attempts: 2 })
  })

  it('delete-registries fails: the service, its revisions and secret are gone, the registry, cluster and role stay (Cloud Map DeleteService refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createService(app)
    const heal = injectAwsFault(app, 'serviceDiscovery', 'DeleteService', awsError('AccessDeniedException', 400, 'not allowed to delete registries'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'delete-registries', code: 'Forbidden', message: expect.stringContaining('not allowed to delete registries') })
    expect(stepStatuses(op)).toEqual([
      ['delete-service', 'succeeded'],
      ['delete-registries', 'failed'],
      ['delete-revisions', 'succeeded'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op).sort()).toEqual(['deleted service www', 'deregistered 1 revision(s), deleted 1 credential secret(s)'])
    expect(await leftInMoto(c)).toEqual({ ...NOTHING, registries: ['www'], cluster: 'ACTIVE', role: true })

    heal()
    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done)).toContain('deleted 1 Cloud Map registry')
    // What the first run removed is not removed (or claimed) again.
    expect(stepEvents(done).filter((m) => m === 'deleted service www')).toHaveLength(1)
  })

  it('delete-revisions fails on the secret: the revision is deregistered, the secret, cluster and role stay (DeleteSecret refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createService(app)
    const heal = injectAwsFault(app, 'secretsManager', 'DeleteSecret', awsError('AccessDeniedException', 400, 'not allowed to delete secrets'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'delete-revisions', message: expect.stringContaining(SECRET) })
    expect(stepStatuses(op)).toEqual([
      ['delete-service', 'succeeded'],
      ['delete-registries', 'succeeded'],
      ['delete-revisions', 'failed'],
      ['clean-up-cluster', 'pending'],
    ])
    expect(stepEvents(op).sort()).toEqual(['deleted 1 Cloud Map registry', 'deleted service www', 'deregistered 1 revision(s), deleted 0 credential secret(s)'])
    expect(await leftInMoto(c)).toEqual({ ...NOTHING, secrets: [SECRET], cluster: 'ACTIVE', role: true })

    heal()
    const done = await retryFinishes(app, c, op)
    expect(stepEvents(done)).toContain('deregistered 0 revision(s), deleted 1 credential secret(s)')
  })

  it('clean-up-cluster fails: everything but the cluster and its role is gone (DeleteCluster refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await createService(app)
    const heal = injectAwsFault(app, 'ecs', 'DeleteCluster', awsError('AccessDeniedException', 400, 'not allowed to delete clusters'))

    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    expect(op.error).toMatchObject({ step: 'clean-up-cluster', code: 'Forbidden', message: expect.stringContaining('not allowed to delete clusters') })
    expect(stepStatuses(op)).toEqual([
      ['delete-service', 'succeeded'],
      ['delete-registries', 'succeeded'],
      ['delete-revisions', 'succeeded'],
      ['clean-up-cluster', 'failed'],
    ])
    expect(stepEvents(op).sort()).toEqual(['deleted 1 Cloud Map registry', 'deleted service www', 'deregistered 1 revision(s), deleted 1 credential secret(s)'])
    expect(await leftInMoto(c)).toEqual({ ...NOTHING, cluster: 'ACTIVE', role: true })

    heal()
    await retryFinishes(app, c, op)
  })

  it('a re-sent DELETE is a 404 once the service is gone: the retry is how the rest is finished (DeleteCluster refused, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    await createService(app)
    failAwsCall(app, 'ecs', 'DeleteCluster', awsError('AccessDeniedException', 400))
    const op = await deleteAndFollow(app, url)
    expect(op.status).toBe('failed')
    const again = await app.inject({ method: 'DELETE', url, headers: authHeaders })
    expect(again.statusCode).toBe(404)
  })
})
