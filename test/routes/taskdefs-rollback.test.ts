/**
 * The create orchestration fails at each of its steps in turn; afterwards moto holds nothing the
 * request created, and a cluster, role and log group that were there before are exactly as they were.
 */
import { PutRetentionPolicyCommand, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateClusterCommand } from '@aws-sdk/client-ecs'
import { CreateRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { ASSUME_ROLE_POLICY } from '../../src/workflows/resources/execution-role-policy.js'
import { buildTestApp, TEST_ORG, testWorkflowHooks } from '../harness/app.js'
import { unlessNotFound, useMotoReset } from '../harness/index.js'
import { awsError, failAwsCall } from './aws-fault.js'
import { waitFor } from '../operations/helpers.js'
import { awsState, createBody, get, motoClients, post, SPACE } from './taskdefs-fixtures.js'

useMotoReset()
afterEach(() => {
  testWorkflowHooks.current = undefined
})

type Clients = ReturnType<typeof motoClients>
const ROLE = `${SPACE}-ecsTaskExecution`
const OLD_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] })

/** A cluster of the org, its role with an outdated policy, and its log group keeping 30 days. */
async function preExisting(c: Clients): Promise<void> {
  await c.ecs.send(new CreateClusterCommand({ clusterName: SPACE, tags: [{ key: 'spinup:org', value: TEST_ORG }], capacityProviders: ['FARGATE'] }))
  await c.iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: ASSUME_ROLE_POLICY }))
  await c.iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy', PolicyDocument: OLD_POLICY }))
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: SPACE }))
  await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: SPACE, retentionInDays: 30 }))
}

async function state(c: Clients): Promise<Record<string, unknown>> {
  const out = await unlessNotFound(c.iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy' })))
  const policy = out === undefined ? null : decodeURIComponent(out.PolicyDocument ?? '')
  return { ...(await awsState(c)), policy }
}

/** Fails the step `id` after it did its work: it is undone like any completed step. */
function failAfterStep(id: string): void {
  testWorkflowHooks.current = {
    onStepSuccess: (step) => {
      if (step === id) throw new Error(`${id} failed (injected after its work by the workflow observer)`)
    },
  }
}

interface Case {
  step: string
  /** How the failure is produced. */
  how: string
  arrange: (app: FastifyInstance, c: Clients) => Promise<void> | void
  status: number
  /** The failure needs the step to create its resource, so it cannot happen when it already exists. */
  onlyWhenMissing?: boolean
}

const cases: Case[] = [
  { step: 'ensure-cluster', how: 'injected after it ran (workflow observer)', arrange: () => failAfterStep('ensure-cluster'), status: 500 },
  {
    step: 'ensure-cluster',
    how: 'AWS CreateCluster throttled (injected in the SDK client)',
    arrange: (app) => failAwsCall(app, 'ecs', 'CreateCluster', awsError('ThrottlingException', 400)),
    status: 429,
    onlyWhenMissing: true,
  },
  {
    step: 'ensure-task-execution-role',
    how: 'AWS PutRolePolicy refused (injected in the SDK client)',
    arrange: (app) => failAwsCall(app, 'iam', 'PutRolePolicy', awsError('MalformedPolicyDocument', 400)),
    status: 400,
  },
  {
    step: 'ensure-task-execution-role',
    how: 'injected after it ran (workflow observer)',
    arrange: () => failAfterStep('ensure-task-execution-role'),
    status: 500,
  },
  {
    step: 'ensure-log-group',
    how: 'AWS PutRetentionPolicy unavailable (injected in the SDK client)',
    arrange: (app) => failAwsCall(app, 'logs', 'PutRetentionPolicy', awsError('ServiceUnavailableException', 503)),
    status: 503,
  },
  { step: 'ensure-log-group', how: 'injected after it ran (workflow observer)', arrange: () => failAfterStep('ensure-log-group'), status: 500 },
  {
    step: 'create-repository-credentials',
    how: 'a secret of that name already exists',
    arrange: async (_app, c) => {
      await c.secrets.send(new CreateSecretCommand({ Name: `spinup/${TEST_ORG}/${SPACE}/api-cred`, SecretString: 'theirs' }))
    },
    status: 409,
  },
  {
    step: 'create-repository-credentials',
    how: 'injected after it ran (workflow observer)',
    arrange: () => failAfterStep('create-repository-credentials'),
    status: 500,
  },
  {
    step: 'register-task-definition',
    how: 'AWS RegisterTaskDefinition refused (injected in the SDK client)',
    arrange: (app) => failAwsCall(app, 'ecs', 'RegisterTaskDefinition', awsError('ClientException', 400, 'Invalid container definition')),
    status: 400,
  },
  {
    step: 'register-task-definition',
    how: 'injected after it ran (workflow observer)',
    arrange: () => failAfterStep('register-task-definition'),
    status: 500,
  },
]

/** Two credentials, so a failing credentials step has made one secret before the other fails. */
const body = () =>
  createBody({
    taskdefinition: {
      family: 'job',
      cpu: '256',
      memory: '512',
      containerdefinitions: [
        { name: 'main', image: 'busybox', memoryReservation: 128 },
        { name: 'api', image: 'registry.example.com/api:1', memoryReservation: 128 },
      ],
    },
    credentials: {
      main: { Name: 'main-cred', SecretString: 'a' },
      api: { Name: 'api-cred', SecretString: 'b' },
    },
  })

describe('create rollback', () => {
  for (const existing of [false, true]) {
    describe(existing ? 'with the cluster, role and log group already there' : 'in an empty account', () => {
      it.each(cases.filter((k) => !(existing && k.onlyWhenMissing)))('$step fails: $how', async ({ step, arrange, status }) => {
        const app = await buildTestApp()
        const c = motoClients()
        if (existing) await preExisting(c)
        await arrange(app, c)
        const before = await state(c)

        const res = await post(app, '/v1/ecs/main/taskdefs', body())
        expect(res.statusCode, res.body).toBe(status)
        const problem = res.json()
        expect(problem.failedStep).toBe(step)
        expect(problem.rollbackFailures).toEqual([])
        // An injected fault is our own kind of error (500): its text stays in the log, not the answer.
        expect(problem.detail).toContain(status === 500 ? 'internal error; logId=' : `failed at step ${step}`)
        expect(await state(c)).toEqual(before)
      })
    })
  }

  it('reports which steps were rolled back and which had nothing to undo', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    await preExisting(c)
    failAfterStep('register-task-definition')
    const res = await post(app, '/v1/ecs/main/taskdefs', body())
    const problem = res.json()
    expect(problem.workflow).toBe('create-task-definition')
    expect([...problem.rolledBack].sort()).toEqual([
      'create-repository-credentials',
      'ensure-log-group',
      'ensure-task-execution-role',
      'register-task-definition',
    ])
    expect(problem.nothingToUndo).toEqual(['ensure-cluster'])
  })

  it('hands what the rollback could not undo to a tracked operation that finishes it (DeleteCluster denied once, injected in the SDK client)', async () => {
    const app = await buildTestApp()
    const c = motoClients()
    failAfterStep('register-task-definition')
    failAwsCall(app, 'ecs', 'DeleteCluster', awsError('AccessDeniedException', 400), { times: 1 })
    const res = await post(app, '/v1/ecs/main/taskdefs', body())
    expect(res.statusCode).toBe(500)
    const problem = res.json()
    expect(problem.rollbackFailures.map((f: { step: string }) => f.step)).toEqual(['ensure-cluster'])
    // A 500 (the injected fault is ours) names only the log id; the operation is named beside it.
    expect(problem.detail).toBe(`internal error; logId=${problem.requestId}`)
    expect(problem.rollbackOperation.location).toBe(`/v1/ecs/main/operations/${problem.rollbackOperation.id}`)

    const op = await waitFor('rollback operation', async () => {
      const view = (await get(app, problem.rollbackOperation.location)).json<{ status: string; kind: string }>()
      return view.status === 'succeeded' || view.status === 'failed' ? view : undefined
    })
    expect(op).toMatchObject({ status: 'succeeded', kind: 'rollback.finish' })
    expect(await state(c)).toEqual({ clusters: [], roles: [], logGroups: [], secrets: [], taskDefinitions: [], policy: null })
  })
})
