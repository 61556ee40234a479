/**
 * What a failed service create or update could not roll back becomes a tracked `rollback.finish`
 * operation: the error answer names it, and following it shows the rest undone in moto. The
 * compensation failures are injected in the app's SDK clients (moto cannot be made to refuse a
 * delete or an update once); the step failures that start the rollback by the workflow observer.
 */
import { DescribeClustersCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { finishRollbackKind } from '../../src/domain/rollback/finish-rollback-operation.js'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { waitFor } from '../operations/helpers.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { activeTaskDefinitionArns, EMPTY_INVENTORY, motoClients, motoInventory, motoService } from './services-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

interface Problem {
  status: number
  detail: string
  requestId: string
  failedStep: string
  rollbackFailures: { step: string; error: string }[]
  rollbackOperation?: { id: string; location: string }
}

interface OperationJson {
  kind: string
  status: string
  target: Record<string, string>
  steps: { id: string; status: string }[]
  events?: { message: string }[]
}

function send(app: FastifyInstance, method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown) {
  return app.inject({
    method,
    url,
    headers: { ...authHeaders, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  })
}

/** Follows the operation the problem names until it is finished. */
async function followToEnd(app: FastifyInstance, problem: Problem): Promise<OperationJson> {
  const location = problem.rollbackOperation?.location ?? ''
  return waitFor(
    'rollback operation',
    async () => {
      const view = (await send(app, 'GET', location)).json<OperationJson>()
      return view.status === 'succeeded' || view.status === 'failed' ? view : undefined
    },
    60_000,
  )
}

/** The operation's events that say what was undone (without its lifecycle lines). */
const undone = (op: OperationJson) => (op.events ?? []).map((e) => e.message).filter((m) => /^(undid|put back)/.test(m))

/** Makes step `id` fail after it did its work, so the engine rolls it back with everything before it. */
function failAfterStep(id: string, before?: () => void): void {
  testWorkflowHooks.current = {
    onStepSuccess: (step) => {
      if (step !== id) return
      before?.()
      throw new Error(`${id} failed (injected after its work by the workflow observer)`)
    },
  }
}

describe('service create: what the rollback could not undo', () => {
  it('is retried by a tracked operation the error names, ECS service first (DeleteService and DeleteCluster refused once, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const clients = motoClients()
    failAfterStep('create-ecs-service')
    failAwsCall(app, 'ecs', 'DeleteService', awsError('ThrottlingException', 400, 'Rate exceeded'), { times: 1 })
    failAwsCall(app, 'ecs', 'DeleteCluster', awsError('AccessDeniedException', 400), { times: 1 })

    const res = await send(app, 'POST', '/v1/ecs/main/services', seedFixture('service-create-new-everything.json'))
    expect(res.statusCode, res.body).toBe(500)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe('create-ecs-service')
    expect(problem.rollbackFailures.map((f) => f.step)).toEqual(['create-ecs-service', 'ensure-cluster'])
    // A 500 (the injected fault is ours) names only the log id; the operation is named beside it.
    expect(problem.detail).toBe(`internal error; logId=${problem.requestId}`)
    expect(problem.rollbackOperation?.location).toBe(`/v1/ecs/main/operations/${problem.rollbackOperation?.id}`)

    // Only the cause (one refusal each) is gone now: the operation finishes the rollback.
    const op = await followToEnd(app, problem)
    expect(op).toMatchObject({ kind: 'rollback.finish', status: 'succeeded', target: { cluster: 'myclu', service: 'www' } })
    expect(op.steps.map((s) => s.id)).toEqual(['undo-1-create-ecs-service', 'undo-2-ensure-cluster'])
    expect(undone(op)).toEqual(['undid create-ecs-service', 'undid ensure-cluster'])

    expect((await motoService(clients.ecs, 'myclu', 'www'))?.status).toBe('INACTIVE')
    const cluster = await clients.ecs.send(new DescribeClustersCommand({ clusters: ['myclu'] }))
    expect(cluster.clusters?.[0]?.status ?? 'INACTIVE').toBe('INACTIVE')
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('without a leftover names no operation', async () => {
    const app = await buildTestApp()
    failAfterStep('create-ecs-service')
    const res = await send(app, 'POST', '/v1/ecs/main/services', seedFixture('service-create-new-everything.json'))
    expect(res.statusCode).toBe(500)
    expect(res.json<Problem>().rollbackOperation).toBeUndefined()
    expect((await send(app, 'GET', '/v1/ecs/main/operations')).json()).toMatchObject({ operations: [] })
  })
})

describe('service update: what the rollback could not undo', () => {
  it('puts the service back on its old revision through the operation (UpdateService throttled twice, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const clients = motoClients()
    const created = await send(app, 'POST', '/v1/ecs/main/services', {
      cluster: { clusterName: 'space1' },
      taskDefinition: {
        family: 'supercool-service',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine' }],
      },
      credentials: { webserver: { Name: 'web-cred', SecretString: 'web-login' } },
      service: { serviceName: 'web', desiredCount: 1 },
    })
    expect(created.statusCode, created.body).toBe(200)
    const oldRevision = created.json<{ TaskDefinition: { TaskDefinitionArn: string } }>().TaskDefinition.TaskDefinitionArn
    const secretArn = created.json<{ Credentials: Record<string, { ARN: string }> }>().Credentials.webserver!.ARN

    // The update has gone through when the last step fails; the rollback's UpdateService is refused,
    // and so is the operation's first attempt: it pauses and tries again.
    failAfterStep('tag-service-resources', () =>
      failAwsCall(app, 'ecs', 'UpdateService', awsError('ThrottlingException', 400, 'Rate exceeded'), { times: 2 }),
    )
    const res = await send(app, 'PUT', '/v1/ecs/main/clusters/space1/services/web', {
      ...(seedFixture('service-update-taskdef.json') as object),
      Service: { DesiredCount: 3 },
      Tags: [{ Key: 'Team', Value: 'red' }],
    })
    expect(res.statusCode, res.body).toBe(500)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe('tag-service-resources')
    expect(problem.rollbackFailures.map((f) => f.step)).toEqual(['update-ecs-service'])
    expect(problem.rollbackOperation?.location).toBe(`/v1/ecs/main/operations/${problem.rollbackOperation?.id}`)

    const op = await followToEnd(app, problem)
    expect(op).toMatchObject({ kind: 'rollback.finish', status: 'succeeded', target: { cluster: 'space1', service: 'web' } })
    expect(op.steps).toEqual([expect.objectContaining({ id: 'undo-1-update-ecs-service', status: 'succeeded' })])
    expect(undone(op)).toEqual(['put back desiredCount, taskDefinition of service web'])

    const service = await motoService(clients.ecs, 'space1', 'web')
    expect(service?.taskDefinition).toBe(oldRevision)
    expect(service?.desiredCount).toBe(1)
    expect(await activeTaskDefinitionArns(clients.ecs)).toEqual([oldRevision])
    const td = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: oldRevision }))
    expect(td.taskDefinition?.containerDefinitions?.[0]?.repositoryCredentials?.credentialsParameter).toBe(secretArn)
    expect((await clients.secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString).toBe('web-login')
  })
})

describe('the rollback.finish kind', () => {
  it('is registered once per app, for task definitions and services alike', async () => {
    const app = await buildTestApp()
    expect(() => app.operations.register(finishRollbackKind)).toThrow(/already registered/)
  })
})
