/**
 * A create's task definition is registered beside its role and log group, not after them. Each order
 * of those concurrent steps that a failure can meet is staged here by holding one AWS call until
 * another has answered: whichever finishes first, the rollback leaves nothing the request created,
 * deregisters the revision before the role and log group it names go, and the answer says so.
 */
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { seedFixture } from '../codec/seed-shapes.js'
import { authHeaders, buildTestApp, testWorkflowHooks } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { awsCallSettled, awsError, captureAwsCalls, holdAwsCall } from './aws-fault.js'
import { EMPTY_INVENTORY, motoClients as serviceClients, motoInventory } from './services-fixtures.js'
import { awsState, createBody, motoClients, post } from './taskdefs-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

const ROLE = 'ensure-task-execution-role'
const LOG_GROUP = 'ensure-log-group'
const REGISTER = 'register-task-definition'

interface Problem {
  failedStep: string
  rolledBack: string[]
  rollbackFailures: unknown[]
  nothingToUndo: string[]
}

/** Steps in the order their start and success hooks saw them; `failed` resolves when `step` fails. */
function recordSteps(step = REGISTER): { events: string[]; failed: Promise<void> } {
  const events: string[] = []
  let stepFailed = (): void => undefined
  const failed = new Promise<void>((resolve) => (stepFailed = resolve))
  testWorkflowHooks.current = {
    onStepStart: (id) => void events.push(`start ${id}`),
    onStepSuccess: (id) => void events.push(`end ${id}`),
    onStepFailure: (id) => {
      if (id === step) stepFailed()
    },
  }
  return { events, failed }
}

async function createTaskDefinition(app: FastifyInstance) {
  return post(app, '/v1/ecs/main/taskdefs', createBody())
}

/** The revision was registered, then deregistered and deleted before the role and log group were undone. */
function expectRevisionUndoneFirst(problem: Problem, undoneAfter: string[]): void {
  expect(problem.rolledBack).toContain(REGISTER)
  for (const step of undoneAfter) {
    expect(problem.rolledBack.indexOf(REGISTER)).toBeLessThan(problem.rolledBack.indexOf(step))
  }
}

describe('task definition create: failures met by the concurrent steps', () => {
  it('the role cannot be created after the revision was registered: the revision is deregistered, the rest removed (injected failure: CreateRole held until RegisterTaskDefinition answered, then throttled)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const before = await awsState(c)
    holdAwsCall(app, 'iam', 'CreateRole', awsCallSettled(app, 'ecs', 'RegisterTaskDefinition'), awsError('ThrottlingException', 400))
    const { events } = recordSteps()

    const res = await createTaskDefinition(app)
    expect(res.statusCode, res.body).toBe(429)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe(ROLE)
    expect(events).toContain(`end ${REGISTER}`)
    expect([...problem.rolledBack].sort()).toEqual(['create-repository-credentials', 'ensure-cluster', LOG_GROUP, REGISTER])
    expectRevisionUndoneFirst(problem, [LOG_GROUP])
    expect(problem.rollbackFailures).toEqual([])
    expect(await awsState(c)).toEqual(before)
  })

  it('the role policy cannot be put after the revision was registered: the half-made role goes after the revision (injected failure: PutRolePolicy held until RegisterTaskDefinition answered, then refused)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const before = await awsState(c)
    holdAwsCall(app, 'iam', 'PutRolePolicy', awsCallSettled(app, 'ecs', 'RegisterTaskDefinition'), awsError('MalformedPolicyDocument', 400))

    const res = await createTaskDefinition(app)
    expect(res.statusCode, res.body).toBe(400)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe(ROLE)
    // The role step's partial work (the role) is undone too, but only after the revision naming it.
    expectRevisionUndoneFirst(problem, [ROLE, LOG_GROUP])
    expect(problem.rollbackFailures).toEqual([])
    expect(await awsState(c)).toEqual(before)
  })

  it('the log group cannot be created after the revision was registered: the revision is deregistered, the rest removed (injected failure: CreateLogGroup held until RegisterTaskDefinition answered, then unavailable)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const before = await awsState(c)
    holdAwsCall(app, 'logs', 'CreateLogGroup', awsCallSettled(app, 'ecs', 'RegisterTaskDefinition'), awsError('ServiceUnavailableException', 503))

    const res = await createTaskDefinition(app)
    expect(res.statusCode, res.body).toBe(503)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe(LOG_GROUP)
    expectRevisionUndoneFirst(problem, [ROLE])
    expect(problem.rollbackFailures).toEqual([])
    expect(await awsState(c)).toEqual(before)
  })

  it('the registration fails while the role is still being made: the role, finished after the failure, is removed too (injected failure: RegisterTaskDefinition refused, PutRolePolicy held until then)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    const before = await awsState(c)
    const { events, failed } = recordSteps(REGISTER)
    holdAwsCall(app, 'ecs', 'RegisterTaskDefinition', Promise.resolve(), awsError('ClientException', 400, 'Invalid container definition'))
    holdAwsCall(app, 'iam', 'PutRolePolicy', failed)

    const res = await createTaskDefinition(app)
    expect(res.statusCode, res.body).toBe(400)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe(REGISTER)
    // The role step was running when the registration failed; it finished and was then undone.
    expect(events.indexOf(`end ${ROLE}`)).toBeGreaterThan(-1)
    expect([...problem.rolledBack].sort()).toEqual(['create-repository-credentials', 'ensure-cluster', LOG_GROUP, ROLE])
    expect(problem.rollbackFailures).toEqual([])
    expect(await awsState(c)).toEqual(before)
  })
})

describe('service create: failures met by the concurrent steps', () => {
  const postService = (app: FastifyInstance) =>
    app.inject({
      method: 'POST',
      url: '/v1/ecs/main/services',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      payload: JSON.stringify(seedFixture('service-create-new-everything.json')),
    })

  it('the role cannot be created after the revision was registered: no service is created, the revision, registry, secret, log group and cluster are removed (injected failure: CreateRole held until RegisterTaskDefinition answered, then throttled)', async () => {
    const app = await buildTestApp()
    const clients = serviceClients()
    holdAwsCall(app, 'iam', 'CreateRole', awsCallSettled(app, 'ecs', 'RegisterTaskDefinition'), awsError('ThrottlingException', 400))
    const createService = captureAwsCalls(app, 'ecs', 'CreateService')

    const res = await postService(app)
    expect(res.statusCode, res.body).toBe(429)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe(ROLE)
    // The service waits for the role with its policy: it was never asked for.
    expect(createService).toEqual([])
    expect([...problem.rolledBack].sort()).toEqual([
      'create-repository-credentials',
      'create-service-registry',
      'ensure-cluster',
      LOG_GROUP,
      REGISTER,
    ])
    expectRevisionUndoneFirst(problem, [LOG_GROUP])
    expect(problem.rollbackFailures).toEqual([])
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })

  it('the service waits for the role and log group: its creation failing undoes the revision before them (injected failure: CreateService refused)', async () => {
    const app = await buildTestApp()
    const clients = serviceClients()
    const { events } = recordSteps()
    holdAwsCall(app, 'ecs', 'CreateService', Promise.resolve(), awsError('ClientException', 400, 'Invalid service (injected)'))

    const res = await postService(app)
    expect(res.statusCode, res.body).toBe(400)
    const problem = res.json<Problem>()
    expect(problem.failedStep).toBe('create-ecs-service')
    for (const step of [ROLE, LOG_GROUP, REGISTER]) {
      expect(events.indexOf(`end ${step}`)).toBeLessThan(events.indexOf('start create-ecs-service'))
    }
    expectRevisionUndoneFirst(problem, [ROLE, LOG_GROUP])
    expect(problem.rollbackFailures).toEqual([])
    expect(await motoInventory(clients)).toEqual(EMPTY_INVENTORY)
  })
})
