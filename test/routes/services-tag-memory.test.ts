/**
 * A tag update tags the space's role and log group straight away when this replica knows they exist
 * (it created them, or found them lately), without GetRole or DescribeLogGroups first. Several app
 * instances against one moto stand for replicas of the API, each with its own memory; a role or log
 * group deleted elsewhere meanwhile is skipped exactly as a replica that looks them up skips it, and
 * a cluster recreated by another org is a 404 as before.
 */
import { DeleteLogGroupCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand } from '@aws-sdk/client-iam'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp } from '../harness/app.js'
import { useMotoReset } from '../harness/index.js'
import { existsInAws } from '../harness/not-found.js'
import { injectCounting } from './aws-call-counts.js'
import { captureAwsCalls, failTaggedResources } from './aws-fault.js'
import { deleteAndFollow } from './delete-operation-helpers.js'
import { createSpaceService as createService, motoClients, OTHER_ORG } from './services-fixtures.js'

useMotoReset()

const services = '/v1/ecs/main/clusters/space1/services'
const ROLE = 'space1-ecsTaskExecution'

function tagUpdate(app: FastifyInstance, value: string, name = 'web') {
  return injectCounting(app, { method: 'PUT', url: `${services}/${name}`, headers: authHeaders, payload: { Tags: [{ Key: 'Team', Value: value }] } })
}

interface Answer {
  Cluster: { Tags?: unknown }
  CloudwatchLogGroups: string[]
}

/**
 * The answer of an update, for comparing two of them: all but the cluster's tags, which are the ones
 * it had before the update (and so differ when the other update tagged it first).
 */
function comparable(res: { json<T>(): T }): Answer {
  const answer = res.json<Answer>()
  return { ...answer, Cluster: { ...answer.Cluster, Tags: undefined } }
}

describe('a tag update on a replica that knows the role and log group exist', () => {
  it('tags them without looking them up, and answers as a replica that looks them up', async () => {
    const replicaA = await buildTestApp()
    const replicaB = await buildTestApp()
    await createService(replicaA, 'web')

    const fromB = await tagUpdate(replicaB, 'red')
    expect(fromB.res.statusCode, fromB.res.body).toBe(200)
    expect(fromB.calls).toMatchObject({ 'IAM:GetRole': 1, 'CloudWatchLogs:DescribeLogGroups': 1 })

    const fromA = await tagUpdate(replicaA, 'red')
    expect(fromA.res.statusCode, fromA.res.body).toBe(200)
    expect(fromA.calls).toEqual({
      'ECS:DescribeClusters': 1,
      'ECS:DescribeServices': 1,
      'ECS:DescribeTaskDefinition': 1,
      // Cluster and log group in one call, revision and service in another.
      'Tagging:TagResources': 2,
      'IAM:TagRole': 1,
    })
    expect(comparable(fromA.res)).toEqual(comparable(fromB.res))
    expect(fromA.res.json<Answer>().CloudwatchLogGroups).toHaveLength(1)

    // The role and the log group really carry the tag.
    const aws = motoClients()
    const role = await aws.iam.send(new GetRoleCommand({ RoleName: ROLE }))
    expect(role.Role?.Tags).toContainEqual({ Key: 'Team', Value: 'red' })
    const [group] = fromA.res.json<Answer>().CloudwatchLogGroups
    const groupTags = await aws.logs.send(new ListTagsForResourceCommand({ resourceArn: group }))
    expect(groupTags.tags).toMatchObject({ Team: 'red', Name: 'space1' })
  })

  it('skips a role deleted on another replica since, as a lookup would, and looks it up next time', async () => {
    const replicaA = await buildTestApp()
    const replicaB = await buildTestApp()
    await createService(replicaA, 'web')
    const aws = motoClients()
    await aws.iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ECSTaskAccessPolicy' }))
    await aws.iam.send(new DeleteRoleCommand({ RoleName: ROLE }))

    const fromA = await tagUpdate(replicaA, 'blue')
    expect(fromA.res.statusCode, fromA.res.body).toBe(200)
    // TagRole answered NoSuchEntity: skipped, nothing made.
    expect(fromA.calls['IAM:TagRole']).toBe(1)
    expect(fromA.calls['IAM:GetRole']).toBeUndefined()
    expect(await existsInAws(aws.iam.send(new GetRoleCommand({ RoleName: ROLE })))).toBe(false)

    const fromB = await tagUpdate(replicaB, 'blue')
    expect(fromB.res.statusCode, fromB.res.body).toBe(200)
    expect(comparable(fromA.res)).toEqual(comparable(fromB.res))

    // Forgotten: the next update asks for the role again, finds none and does not tag it.
    const again = await tagUpdate(replicaA, 'green')
    expect(again.res.statusCode, again.res.body).toBe(200)
    expect(again.calls['IAM:GetRole']).toBe(1)
    expect(again.calls['IAM:TagRole']).toBeUndefined()
  })

  it('skips a log group deleted on another replica since, as a lookup would, and looks it up next time (injected failure: moto tags a deleted group)', async () => {
    const replicaA = await buildTestApp()
    const replicaB = await buildTestApp()
    await createService(replicaA, 'web')
    const aws = motoClients()
    await aws.logs.send(new DeleteLogGroupCommand({ logGroupName: 'space1' }))
    // TagResources reports a deleted group in its FailedResourcesMap with CloudWatch Logs'
    // ResourceNotFoundException; moto tags it anyway, so that answer is injected.
    failTaggedResources(replicaA, (arn) => arn.includes(':log-group:'), { StatusCode: 404, ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'The specified log group does not exist.' }, { times: 1 })

    const fromA = await tagUpdate(replicaA, 'blue')
    expect(fromA.res.statusCode, fromA.res.body).toBe(200)
    expect(fromA.calls['CloudWatchLogs:DescribeLogGroups']).toBeUndefined()
    expect(fromA.res.json<Answer>().CloudwatchLogGroups).toEqual([])

    const fromB = await tagUpdate(replicaB, 'blue')
    expect(fromB.res.statusCode, fromB.res.body).toBe(200)
    expect(comparable(fromA.res)).toEqual(comparable(fromB.res))

    // Forgotten: the next update looks for the group again, finds none and does not tag it.
    const tagged = captureAwsCalls(replicaA, 'tagging', 'TagResources') as { ResourceARNList: string[] }[]
    const again = await tagUpdate(replicaA, 'green')
    expect(again.res.statusCode, again.res.body).toBe(200)
    expect(again.calls['CloudWatchLogs:DescribeLogGroups']).toBe(1)
    expect(tagged.flatMap((c) => c.ResourceARNList).filter((arn) => arn.includes(':log-group:'))).toEqual([])
    expect(again.res.json<Answer>().CloudwatchLogGroups).toEqual([])
  })

  it('forgets the role and log group of a space it cleaned up: the next tag update there looks them up', async () => {
    const replicaA = await buildTestApp()
    const replicaB = await buildTestApp()
    await createService(replicaA, 'web')
    const op = await deleteAndFollow(replicaA, `${services}/web?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    // Another replica makes the space again, with a new role.
    await createService(replicaB, 'web')

    const { res, calls } = await tagUpdate(replicaA, 'red')
    expect(res.statusCode, res.body).toBe(200)
    expect(calls).toMatchObject({ 'IAM:GetRole': 1, 'IAM:TagRole': 1, 'CloudWatchLogs:DescribeLogGroups': 1, 'Tagging:TagResources': 2 })
  })

  it('answers 404 once another replica deleted the space and another org recreated it, tagging nothing', async () => {
    const replicaA = await buildTestApp()
    const replicaA2 = await buildTestApp()
    const otherOrg = await buildTestApp({ org: OTHER_ORG })
    await createService(replicaA, 'web')
    expect((await tagUpdate(replicaA, 'red')).res.statusCode).toBe(200)

    // Another replica of our org deletes the service and, with it, the space's cluster and role.
    const op = await deleteAndFollow(replicaA2, `${services}/web?recursive=true`)
    expect(op.status, JSON.stringify(op)).toBe('succeeded')
    // The other org makes its own space of the same name (cluster, role and log group).
    await createService(otherOrg, 'theirs')

    for (const name of ['web', 'theirs']) {
      const { res, calls } = await tagUpdate(replicaA, 'blue', name)
      // The cluster and the service are read side by side; whichever answers "not ours" first
      // decides the 404, so the other call may still be in flight when it is counted.
      expect(res.statusCode, res.body).toBe(404)
      expect(calls['ECS:TagResource']).toBeUndefined()
      expect(calls['IAM:TagRole']).toBeUndefined()
      expect(calls['CloudWatchLogs:TagResource']).toBeUndefined()
      expect(calls['Tagging:TagResources']).toBeUndefined()
    }
    const role = await motoClients().iam.send(new GetRoleCommand({ RoleName: ROLE }))
    expect(role.Role?.Tags).not.toContainEqual({ Key: 'Team', Value: 'blue' })
  })
})
