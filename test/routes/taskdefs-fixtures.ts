/**
 * Fixtures of the task-definition and task route tests: request bodies, a create through the API,
 * SDK clients to arrange and check moto, and a snapshot of everything a create could leave behind.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeClustersCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam'
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect, onTestFinished } from 'vitest'
import { authHeaders } from '../harness/app.js'
import { motoClientConfig, motoEndpoint } from '../harness/index.js'

export const OTHER_ORG = 'otherorg'
export const SPACE = 'space1'

/** A create body in the seed's spelling (lower-case keys); containers carry memoryReservation for moto's RunTask. */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cluster: { clustername: SPACE },
    taskdefinition: {
      family: 'job',
      cpu: '256',
      memory: '512',
      containerdefinitions: [
        { name: 'main', image: 'busybox', memoryReservation: 128, command: ['sleep', '60'] },
        { name: 'api', image: 'registry.example.com/api:1', memoryReservation: 128 },
      ],
    },
    credentials: { api: { Name: 'api-cred', SecretString: '{"username":"u","password":"p"}' } },
    tags: [{ Key: 'Application', Value: 'demo' }],
    ...overrides,
  }
}

export function post(app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = authHeaders) {
  return app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } })
}
export function put(app: FastifyInstance, url: string, body: unknown) {
  return app.inject({ method: 'PUT', url, payload: JSON.stringify(body), headers: { ...authHeaders, 'content-type': 'application/json' } })
}
export function get(app: FastifyInstance, url: string) {
  return app.inject({ method: 'GET', url, headers: authHeaders })
}
export function del(app: FastifyInstance, url: string) {
  return app.inject({ method: 'DELETE', url, headers: authHeaders })
}

/** Creates a task definition through the API and expects it to succeed. */
export async function createTaskDef(app: FastifyInstance, body: Record<string, unknown> = createBody(), account = 'main') {
  const res = await post(app, `/v1/ecs/${account}/taskdefs`, body)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ Cluster: Record<string, unknown>; Credentials: Record<string, { ARN: string }> | null; TaskDefinition: Record<string, unknown> }>()
}

/** Expects a problem+json answer with that status and code, whose detail matches `detail`. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string, detail?: RegExp): void {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = res.json<{ code: string; detail: string }>()
  expect(body.code).toBe(code)
  if (detail) expect(body.detail).toMatch(detail)
}

/** SDK clients against moto's main account, closed after the test. */
export function motoClients() {
  const cfg = () => motoClientConfig(motoEndpoint())
  const clients = {
    ecs: new ECSClient(cfg()),
    logs: new CloudWatchLogsClient(cfg()),
    iam: new IAMClient(cfg()),
    secrets: new SecretsManagerClient(cfg()),
  }
  onTestFinished(() => {
    for (const c of Object.values(clients)) c.destroy()
  })
  return clients
}

type Clients = ReturnType<typeof motoClients>

/**
 * Everything a create can make, as moto shows it: clusters (with status, tags and providers), roles,
 * log groups (with retention), secrets, and task definition revisions of the families given.
 */
export async function awsState(c: Clients, families: string[] = ['job']): Promise<Record<string, unknown>> {
  const [clusters, roles, groups, secrets, revisions] = await Promise.all([
    c.ecs.send(new DescribeClustersCommand({ clusters: [SPACE], include: ['TAGS'] })),
    c.iam.send(new ListRolesCommand({})),
    c.logs.send(new DescribeLogGroupsCommand({})),
    c.secrets.send(new ListSecretsCommand({})),
    Promise.all(
      families.flatMap((family) =>
        (['ACTIVE', 'INACTIVE'] as const).map((status) =>
          c.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status })).then((o) => o.taskDefinitionArns ?? []),
        ),
      ),
    ),
  ])
  return {
    // ECS shows a deleted cluster as INACTIVE for a while: it is gone.
    clusters: (clusters.clusters ?? []).filter((x) => x.status !== 'INACTIVE').map((x) => ({
      name: x.clusterName,
      status: x.status,
      tags: x.tags,
      providers: x.capacityProviders,
    })),
    roles: (roles.Roles ?? []).map((r) => r.RoleName).sort(),
    logGroups: (groups.logGroups ?? []).map((g) => `${g.logGroupName}:${g.retentionInDays ?? '-'}`).sort(),
    secrets: (secrets.SecretList ?? []).map((s) => s.Name).sort(),
    taskDefinitions: revisions.flat().sort(),
  }
}
