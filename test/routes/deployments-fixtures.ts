/**
 * The deployments tests' setup: apps whose AWS endpoint is the rollout simulator in front of moto,
 * fast tracker settings, and services made through the API.
 */
import type { FastifyInstance } from 'fastify'
import { expect, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { defaultVpcResources, motoEndpoint, MOTO_REGION } from '../harness/index.js'
import { startRolloutSimulator, type RolloutSimulator } from '../harness/rollout-simulator.js'
import { waitFor } from '../operations/helpers.js'

/** Tracker settings of the tests: looks every few tens of milliseconds. */
export const FAST_TRACKING = { pollMinMs: 20, pollMaxMs: 80 }

/** A rollout simulator in front of the shared moto, stopped after the test. */
export async function simulator(): Promise<RolloutSimulator> {
  const sim = await startRolloutSimulator(motoEndpoint())
  onTestFinished(() => sim.stop())
  return sim
}

/** The test config's accounts with their AWS endpoint at `endpoint`. */
export async function accountsAt(endpoint: string): Promise<Record<string, unknown>> {
  const vpc = await defaultVpcResources(motoEndpoint(), MOTO_REGION)
  const common = {
    region: MOTO_REGION,
    endpoint,
    defaultSubnets: vpc.subnets.slice(0, 2),
    defaultSgs: vpc.securityGroups.slice(0, 1),
    defaultKmsKeyId: 'alias/test-key',
    akid: 'testing',
    secret: 'testing',
  }
  return {
    main: common,
    other: { ...common, assumeRole: { roleArn: 'arn:aws:iam::111111111111:role/ecs-api', sessionName: 'ecs-api-test' } },
  }
}

/** An app against the simulator with fast tracking (`deployments` settings merged over it). */
export async function simApp(sim: RolloutSimulator, overrides: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const { deployments, ...rest } = overrides
  return buildTestApp({
    accounts: await accountsAt(sim.endpoint),
    deployments: { ...FAST_TRACKING, ...(deployments as object | undefined) },
    ...rest,
  })
}

export const servicesUrl = (cluster = 'space1', account = 'main') => `/v1/ecs/${account}/clusters/${cluster}/services`

/** A create body: service `name` in `cluster`, family `${name}-family`, one container. */
export function createBody(name = 'web', cluster = 'space1', extra: Record<string, unknown> = {}) {
  return {
    cluster: { clusterName: cluster },
    taskDefinition: {
      family: `${name}-family`,
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'nginx:1.27' }],
    },
    service: { serviceName: name, desiredCount: 2, ...extra },
  }
}

export async function create(app: FastifyInstance, body: unknown = createBody(), headers: Record<string, string> = {}, query = '') {
  return app.inject({ method: 'POST', url: `/v1/ecs/main/services${query}`, headers: { ...authHeaders, ...headers }, payload: body as object })
}

/** A new revision of the service's family with `image`, as an update. */
export async function updateImage(app: FastifyInstance, image: string, name = 'web', headers: Record<string, string> = {}, query = '') {
  return app.inject({
    method: 'PUT',
    url: `${servicesUrl()}/${name}${query}`,
    headers: { ...authHeaders, ...headers },
    payload: { taskDefinition: { family: `${name}-family`, cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image }] } },
  })
}

export async function getDeployment(app: FastifyInstance, id: string, name = 'web'): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'GET', url: `${servicesUrl()}/${name}/deployments/${id}`, headers: authHeaders })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

/** Waits until the deployment has an outcome other than IN_PROGRESS; answers it. */
export async function settled(app: FastifyInstance, id: string, name = 'web'): Promise<Record<string, unknown>> {
  return waitFor(`deployment ${id} to end`, async () => {
    const d = await getDeployment(app, id, name)
    return d.Outcome !== 'IN_PROGRESS' ? d : undefined
  })
}
