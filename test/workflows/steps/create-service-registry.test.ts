import {
  CreateServiceCommand,
  GetServiceCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery'
import { describe, expect, it, onTestFinished } from 'vitest'
import { serviceDiscovery } from '../../../src/aws/service-discovery.js'
import { defineWorkflow, WorkflowFailedError } from '../../../src/workflows/engine.js'
import {
  createServiceRegistryStep,
  deleteRegistry,
  registryCreateInput,
  type RegistryRequest,
  type ServiceRegistryScope,
} from '../../../src/workflows/steps/create-service-registry.js'
import { TEST_ORG } from '../../harness/app.js'
import { motoClientConfig, motoEndpoint, useMotoReset } from '../../harness/index.js'
import { failAfter, mainAccount } from './space-fixtures.js'

useMotoReset()

const tags = [
  { Key: 'spinup:org', Value: TEST_ORG },
  { Key: 'spinup:spaceid', Value: 'space1' },
]

function rawClient(): ServiceDiscoveryClient {
  const client = new ServiceDiscoveryClient(motoClientConfig(motoEndpoint()))
  onTestFinished(() => client.destroy())
  return client
}

async function scope(registry: RegistryRequest): Promise<ServiceRegistryScope> {
  const account = await mainAccount()
  return { discovery: serviceDiscovery(account.clients.serviceDiscovery), registry, tags, clientToken: 'token-1' }
}

const registryNames = async (c: ServiceDiscoveryClient) => ((await c.send(new ListServicesCommand({}))).Services ?? []).map((s) => s.Name)

describe('create-service-registry', () => {
  it('creates the registry with custom health checks and the org tags before the client tags', async () => {
    const raw = rawClient()
    const input = { Name: 'www', DnsConfig: { NamespaceId: 'ns-1', DnsRecords: [{ Type: 'A' as const, TTL: 30 }] }, Tags: [{ Key: 'app', Value: 'x' }, { Key: 'spinup:org', Value: 'forged' }] }
    const run = await defineWorkflow('wf', [createServiceRegistryStep]).run(await scope({ kind: 'create', input }))
    const out = run.outputOf(createServiceRegistryStep)
    expect(out.registryArn).toMatch(/:service\/srv-/)
    const got = await raw.send(new GetServiceCommand({ Id: out.service!.Id }))
    expect(got.Service?.HealthCheckCustomConfig).toEqual({ FailureThreshold: 1 })
    const listed = await raw.send(new ListTagsForResourceCommand({ ResourceARN: out.registryArn }))
    expect(listed.Tags).toEqual(expect.arrayContaining([...tags, { Key: 'app', Value: 'x' }]))
    expect(listed.Tags).not.toContainEqual({ Key: 'spinup:org', Value: 'forged' })
  })

  it('rollback deletes the registry it created', async () => {
    const raw = rawClient()
    const err = await defineWorkflow('wf', [createServiceRegistryStep, failAfter(createServiceRegistryStep)])
      .run(await scope({ kind: 'create', input: { Name: 'www', NamespaceId: 'ns-1' } }))
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkflowFailedError)
    expect((err as WorkflowFailedError).report.rolledBack).toEqual(['create-service-registry'])
    expect(await registryNames(raw)).toEqual([])
  })

  it('uses an existing registry and never deletes it', async () => {
    const raw = rawClient()
    const existing = await raw.send(new CreateServiceCommand({ Name: 'shared', NamespaceId: 'ns-1' }))
    const request: RegistryRequest = { kind: 'existing', arn: existing.Service!.Arn!, id: existing.Service!.Id! }
    const err = await defineWorkflow('wf', [createServiceRegistryStep, failAfter(createServiceRegistryStep)])
      .run(await scope(request))
      .catch((e: unknown) => e)
    expect((err as WorkflowFailedError).report.nothingToUndo).toEqual(['create-service-registry'])
    expect(await registryNames(raw)).toEqual(['shared'])

    const ok = await defineWorkflow('wf', [createServiceRegistryStep]).run(await scope(request))
    expect(ok.outputOf(createServiceRegistryStep)).toMatchObject({ registryArn: existing.Service!.Arn, service: { Name: 'shared' } })
  })

  it('passes an existing registry Cloud Map does not know through, described as nothing', async () => {
    const arn = 'arn:aws:servicediscovery:us-east-1:001122334455:service/srv-tvtbgvkkxtts3qlf'
    const run = await defineWorkflow('wf', [createServiceRegistryStep]).run(await scope({ kind: 'existing', arn, id: 'srv-tvtbgvkkxtts3qlf' }))
    expect(run.outputOf(createServiceRegistryStep)).toEqual({ registryArn: arn, service: undefined })
  })

  it('does nothing without a registry', async () => {
    const run = await defineWorkflow('wf', [createServiceRegistryStep]).run(await scope({ kind: 'none' }))
    expect(run.outputOf(createServiceRegistryStep)).toEqual({ registryArn: undefined, service: undefined })
  })

  it('keeps a health check the client chose, and deleting a registry twice is fine', async () => {
    const s = await scope({ kind: 'none' })
    const input = registryCreateInput(s, { Name: 'x', HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/' } })
    expect(input.HealthCheckCustomConfig).toBeUndefined()
    expect(input.CreatorRequestId).toBe('token-1-registry')
    const created = await rawClient().send(new CreateServiceCommand({ Name: 'gone', NamespaceId: 'ns-1' }))
    await deleteRegistry(s.discovery, created.Service!.Id!)
    await deleteRegistry(s.discovery, created.Service!.Id!)
  })
})
