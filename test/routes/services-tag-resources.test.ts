/**
 * A service tag update puts the request's tags with the Resource Groups Tagging API: one
 * TagResources for the space's shared resources (cluster and log group, in their shared form), one
 * for the service's own (revision, credential secrets, service), and IAM TagRole for the role.
 * What is gone is skipped as before, any other failure rolls the update back, and the revision the
 * service runs is read once per short while.
 */
import { ListTagsForResourceCommand as ListLogTags, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs'
import { ListTagsForResourceCommand } from '@aws-sdk/client-ecs'
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam'
import { DeleteSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { injectCounting } from './aws-call-counts.js'
import { awsError, captureAwsCalls, failAwsCall, failTaggedResources } from './aws-fault.js'
import { activeTaskDefinitionArns, motoClients, motoService } from './services-fixtures.js'

useMotoReset()

const services = '/v1/ecs/main/clusters/space1/services'
const ROLE = 'space1-ecsTaskExecution'

interface Created {
  Cluster: { ClusterArn: string }
  Service: { ServiceArn: string }
  TaskDefinition: { TaskDefinitionArn: string }
  Credentials: Record<string, { ARN: string }>
}

interface Answer {
  TaskDefinition: unknown
  CloudwatchLogGroups: string[]
}

/** The service `web` in `space1` with a repository credential, made through `app`. */
async function createWithCredential(app: FastifyInstance): Promise<Created> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/ecs/main/services',
    headers: authHeaders,
    payload: {
      cluster: { clusterName: 'space1' },
      taskDefinition: { family: 'web', cpu: '256', memory: '512', containerDefinitions: [{ name: 'webserver', image: 'nginx:alpine' }] },
      credentials: { webserver: { Name: 'web-cred', SecretString: 'web-login' } },
      service: { serviceName: 'web', desiredCount: 1 },
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Created>()
}

function tagUpdate(app: FastifyInstance, value: string, extra: object = {}) {
  return injectCounting(app, { method: 'PUT', url: `${services}/web`, headers: authHeaders, payload: { Tags: [{ Key: 'Team', Value: value }], ...extra } })
}

async function ecsTags(arn: string): Promise<Record<string, string>> {
  const out = await motoClients().ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))
  return Object.fromEntries((out.tags ?? []).map((t): [string, string] => [t.key ?? '', t.value ?? '']))
}

describe('a service tag update through the Resource Groups Tagging API', () => {
  it('tags cluster, log group, role, revision, service and credential secret (read back from moto) with two TagResources calls', async () => {
    const app = await buildTestApp()
    const created = await createWithCredential(app)

    const { res, calls } = await tagUpdate(app, 'red')
    expect(res.statusCode, res.body).toBe(200)
    expect(calls).toEqual({
      'ECS:DescribeClusters': 1,
      'ECS:DescribeServices': 1,
      'ECS:DescribeTaskDefinition': 1,
      'Tagging:TagResources': 2,
      'IAM:TagRole': 1,
    })
    const [group] = res.json<Answer>().CloudwatchLogGroups
    expect(group).toMatch(/:log-group:space1$/)

    const aws = motoClients()
    // Shared form: `Name` is the space's (or the role's), the flavor tag stays with the service's own.
    expect(await ecsTags(created.Cluster.ClusterArn)).toMatchObject({ Team: 'red', Name: 'space1' })
    const groupTags = await aws.logs.send(new ListLogTags({ resourceArn: group }))
    expect(groupTags.tags).toMatchObject({ Team: 'red', Name: 'space1' })
    const role = await aws.iam.send(new GetRoleCommand({ RoleName: ROLE }))
    expect(role.Role?.Tags).toEqual(expect.arrayContaining([{ Key: 'Team', Value: 'red' }, { Key: 'Name', Value: ROLE }]))
    expect(await ecsTags(created.TaskDefinition.TaskDefinitionArn)).toMatchObject({ Team: 'red', 'spinup:flavor': 'service' })
    expect(await ecsTags(created.Service.ServiceArn)).toMatchObject({ Team: 'red', 'spinup:flavor': 'service' })
    const secret = await aws.secrets.send(new DescribeSecretCommand({ SecretId: created.Credentials.webserver!.ARN }))
    expect(secret.Tags).toContainEqual({ Key: 'Team', Value: 'red' })

    // The next update does not read the revision again, and answers it the same.
    const again = await tagUpdate(app, 'blue')
    expect(again.res.statusCode, again.res.body).toBe(200)
    expect(again.calls).toEqual({ 'ECS:DescribeClusters': 1, 'ECS:DescribeServices': 1, 'Tagging:TagResources': 2, 'IAM:TagRole': 1 })
    expect(again.res.json<Answer>().TaskDefinition).toEqual(res.json<Answer>().TaskDefinition)
    expect(await ecsTags(created.TaskDefinition.TaskDefinitionArn)).toMatchObject({ Team: 'blue' })
  })

  it('skips a role and log group deleted behind its back and tags the rest (injected failure: moto tags a deleted log group)', async () => {
    const app = await buildTestApp()
    const created = await createWithCredential(app)
    const aws = motoClients()
    await aws.iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy' }))
    await aws.iam.send(new DeleteRoleCommand({ RoleName: ROLE }))
    await aws.logs.send(new DeleteLogGroupCommand({ logGroupName: 'space1' }))
    failTaggedResources(app, (arn) => arn.includes(':log-group:'), { StatusCode: 404, ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'The specified log group does not exist.' })

    const { res } = await tagUpdate(app, 'red')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<Answer>().CloudwatchLogGroups).toEqual([])
    expect(await ecsTags(created.Cluster.ClusterArn)).toMatchObject({ Team: 'red' })
    expect(await ecsTags(created.TaskDefinition.TaskDefinitionArn)).toMatchObject({ Team: 'red' })
    expect(await ecsTags(created.Service.ServiceArn)).toMatchObject({ Team: 'red' })
  })

  it('rolls back a new revision when TagResources reports a resource it could not tag (injected failure)', async () => {
    const app = await buildTestApp()
    const created = await createWithCredential(app)
    const oldRevision = created.TaskDefinition.TaskDefinitionArn
    failTaggedResources(app, (arn) => arn === created.Service.ServiceArn, { StatusCode: 400, ErrorCode: 'InvalidParameterException', ErrorMessage: 'Tags could not be applied (injected)' })

    const { res } = await tagUpdate(app, 'red', {
      TaskDefinition: { family: 'web', cpu: '256', memory: '1024', containerDefinitions: [{ name: 'webserver', image: 'nginx:1' }] },
    })
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json<{ failedStep: string; detail: string }>()).toMatchObject({ failedStep: 'tag-service-resources', detail: expect.stringContaining('Tags could not be applied') })
    const service = await motoService(motoClients().ecs, 'space1', 'web')
    expect(service?.taskDefinition).toBe(oldRevision)
    expect(await activeTaskDefinitionArns(motoClients().ecs)).toEqual([oldRevision])
  })

  it('rolls back a new revision when the TagResources call itself fails (injected failure)', async () => {
    const app = await buildTestApp()
    const created = await createWithCredential(app)
    const oldRevision = created.TaskDefinition.TaskDefinitionArn
    failAwsCall(app, 'tagging', 'TagResources', awsError('AccessDeniedException', 400, 'not allowed (injected)'))

    const { res } = await tagUpdate(app, 'red', {
      TaskDefinition: { family: 'web', cpu: '256', memory: '1024', containerDefinitions: [{ name: 'webserver', image: 'nginx:1' }] },
    })
    expect(res.statusCode, res.body).toBe(403)
    expect(res.json<{ failedStep: string }>().failedStep).toBe('tag-service-resources')
    expect((await motoService(motoClients().ecs, 'space1', 'web'))?.taskDefinition).toBe(oldRevision)
    expect(await activeTaskDefinitionArns(motoClients().ecs)).toEqual([oldRevision])
  })

  it('fails as before on a credential secret deleted behind its back (moto fails the whole TagResources call; each resource is then tagged on its own)', async () => {
    const app = await buildTestApp()
    const created = await createWithCredential(app)
    await motoClients().secrets.send(new DeleteSecretCommand({ SecretId: created.Credentials.webserver!.ARN, ForceDeleteWithoutRecovery: true }))
    const oneByOne = captureAwsCalls(app, 'ecs', 'TagResource')

    const { res, calls } = await tagUpdate(app, 'red')
    expect(res.statusCode, res.body).toBe(404)
    expect(res.json<{ failedStep: string }>().failedStep).toBe('tag-service-resources')
    expect(calls['SecretsManager:TagResource']).toBe(1)
    expect(oneByOne).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resourceArn: created.TaskDefinition.TaskDefinitionArn }),
        expect.objectContaining({ resourceArn: created.Service.ServiceArn }),
      ]),
    )
  })
})
