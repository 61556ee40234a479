import type {
  Cluster,
  CreateClusterCommandInput,
  DesiredStatus,
  ECSClient,
  Failure,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommandInput,
  Tag as EcsTag,
  Task,
  TaskDefinition,
  TaskDefinitionStatus,
} from '@aws-sdk/client-ecs'
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  paginateListTaskDefinitions,
  paginateListTasks,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
} from './sdk/ecs.js'
import { chunk, mapWithConcurrency } from '../core/concurrency.js'
import { UpstreamError } from '../core/errors.js'
import { awsCodeOf } from './translate-error.js'

/**
 * ECS clusters, task definitions, tasks and tags: the calls the task-definition and task routes and
 * the shared space steps make. ECS services live in `ecs-services.ts`.
 */

/** DescribeClusters takes at most 100 clusters per call. */
const DESCRIBE_CLUSTERS_BATCH = 100
/** DescribeTasks takes at most 100 tasks per call. */
const DESCRIBE_TASKS_BATCH = 100
/** DeleteTaskDefinitions takes at most 10 revisions per call. */
const DELETE_TASK_DEFINITIONS_BATCH = 10
/** ListTasks and ListTaskDefinitions answer at most 100 per page. */
const LIST_PAGE = 100
const FAN_OUT = 4

/** A task definition revision with its tags. */
export interface TaskDefinitionWithTags {
  taskDefinition: TaskDefinition
  tags: EcsTag[]
}

export interface TaskQuery {
  cluster: string
  family?: string
  /** Only the tasks of this service. */
  serviceName?: string
  desiredStatus?: DesiredStatus
  startedBy?: string
}

export interface Ecs {
  /** The cluster with its tags, in any status; undefined when ECS does not know the name. */
  describeCluster(name: string): Promise<Cluster | undefined>
  /** The clusters named (names or ARNs) with their tags, in batches of 100; unknown ones are left out. */
  describeClusters(names: readonly string[]): Promise<Cluster[]>
  createCluster(input: CreateClusterCommandInput): Promise<Cluster>
  /** Deletes the cluster; a cluster that is missing or already INACTIVE counts as deleted. */
  deleteCluster(name: string): Promise<void>

  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<TaskDefinitionWithTags>
  /**
   * A revision with its tags, by family (latest revision), `family:revision` or ARN; undefined when ECS
   * cannot describe it.
   */
  describeTaskDefinition(ref: string): Promise<TaskDefinitionWithTags | undefined>
  /** Deregisters a revision; one already INACTIVE is fine. */
  deregisterTaskDefinition(arn: string): Promise<void>
  /** Permanently deletes INACTIVE revisions (batches of 10); ones already gone are ignored. */
  deleteTaskDefinitions(arns: readonly string[]): Promise<void>
  /** Revision ARNs of the family with that status (ACTIVE by default), every page, oldest first. */
  listTaskDefinitionArns(family: string, status?: TaskDefinitionStatus): Promise<string[]>
  /** Whether the family has at least one ACTIVE revision. */
  hasActiveRevision(family: string): Promise<boolean>

  runTask(input: RunTaskCommandInput): Promise<{ tasks: Task[]; failures: Failure[] }>
  /** Task ARNs matching the query, every page. */
  listTaskArns(query: TaskQuery): Promise<string[]>
  /** The tasks named (ids or ARNs) with their tags, in batches of 100; unknown ones come back as failures. */
  describeTasks(cluster: string, tasks: readonly string[]): Promise<{ tasks: Task[]; failures: Failure[] }>
  stopTask(cluster: string, task: string, reason?: string): Promise<Task | undefined>

  tagResource(arn: string, tags: readonly EcsTag[]): Promise<void>
}

/** The ECS adapter over one account's client (errors arrive already translated). */
export function ecsApi(client: ECSClient): Ecs {
  return {
    async describeCluster(name) {
      const out = await client.send(new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] }))
      return out.clusters?.find((c) => c.clusterName === name || c.clusterArn === name)
    },

    async describeClusters(names) {
      const pages = await mapWithConcurrency(
        chunk(names, DESCRIBE_CLUSTERS_BATCH),
        (batch) => client.send(new DescribeClustersCommand({ clusters: batch, include: ['TAGS'] })),
        FAN_OUT,
      )
      return pages.flatMap((p) => p.clusters ?? [])
    },

    async createCluster(input) {
      const out = await client.send(new CreateClusterCommand(input))
      if (!out.cluster) throw new UpstreamError(`ECS.CreateCluster answered without a cluster for ${input.clusterName ?? '?'}`)
      return out.cluster
    },

    async deleteCluster(name) {
      try {
        await client.send(new DeleteClusterCommand({ cluster: name }))
      } catch (err) {
        if (awsCodeOf(err) === 'ClusterNotFoundException') return
        throw err
      }
    },

    async registerTaskDefinition(input) {
      const out = await client.send(new RegisterTaskDefinitionCommand(input))
      if (!out.taskDefinition) throw new UpstreamError(`ECS.RegisterTaskDefinition answered without a task definition for ${input.family ?? '?'}`)
      // Some backends answer without the tags; they are the ones just sent.
      return { taskDefinition: out.taskDefinition, tags: out.tags?.length ? out.tags : (input.tags ?? []) }
    },

    async describeTaskDefinition(ref) {
      try {
        const out = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] }))
        return out.taskDefinition ? { taskDefinition: out.taskDefinition, tags: out.tags ?? [] } : undefined
      } catch (err) {
        // ECS answers an unknown family or revision with ClientException "Unable to describe task definition".
        if (awsCodeOf(err) === 'ClientException' || awsCodeOf(err) === 'ResourceNotFoundException') return undefined
        throw err
      }
    },

    async deregisterTaskDefinition(arn) {
      try {
        await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }))
      } catch (err) {
        // Already deleted revisions cannot be described or deregistered: nothing left to do.
        if (awsCodeOf(err) === 'ClientException' && /unable to describe|does not exist/i.test((err as Error).message)) return
        throw err
      }
    },

    async deleteTaskDefinitions(arns) {
      await mapWithConcurrency(
        chunk(arns, DELETE_TASK_DEFINITIONS_BATCH),
        async (batch) => {
          await client.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch }))
        },
        FAN_OUT,
      )
    },

    async listTaskDefinitionArns(family, status = 'ACTIVE') {
      const arns: string[] = []
      const pages = paginateListTaskDefinitions(
        { client, pageSize: LIST_PAGE, stopOnSameToken: true },
        { familyPrefix: family, status, sort: 'ASC' },
      )
      for await (const page of pages) arns.push(...(page.taskDefinitionArns ?? []))
      // familyPrefix is an exact family match in ECS; the filter keeps that true for any backend.
      return arns.filter((arn) => familyOfArn(arn) === family)
    },

    async hasActiveRevision(family) {
      const pages = paginateListTaskDefinitions(
        { client, pageSize: LIST_PAGE, stopOnSameToken: true },
        { familyPrefix: family, status: 'ACTIVE' },
      )
      for await (const page of pages) {
        if ((page.taskDefinitionArns ?? []).some((arn) => familyOfArn(arn) === family)) return true
      }
      return false
    },

    async runTask(input) {
      const out = await client.send(new RunTaskCommand(input))
      return { tasks: out.tasks ?? [], failures: out.failures ?? [] }
    },

    async listTaskArns(query) {
      const arns: string[] = []
      const pages = paginateListTasks(
        { client, pageSize: LIST_PAGE, stopOnSameToken: true },
        {
          cluster: query.cluster,
          ...(query.family ? { family: query.family } : {}),
          ...(query.serviceName ? { serviceName: query.serviceName } : {}),
          ...(query.desiredStatus ? { desiredStatus: query.desiredStatus } : {}),
          ...(query.startedBy ? { startedBy: query.startedBy } : {}),
        },
      )
      for await (const page of pages) arns.push(...(page.taskArns ?? []))
      return arns
    },

    async describeTasks(cluster, tasks) {
      if (tasks.length === 0) return { tasks: [], failures: [] }
      const pages = await mapWithConcurrency(
        chunk(tasks, DESCRIBE_TASKS_BATCH),
        (batch) => client.send(new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] })),
        FAN_OUT,
      )
      return { tasks: pages.flatMap((p) => p.tasks ?? []), failures: pages.flatMap((p) => p.failures ?? []) }
    },

    async stopTask(cluster, task, reason) {
      const out = await client.send(new StopTaskCommand({ cluster, task, ...(reason ? { reason } : {}) }))
      return out.task
    },

    async tagResource(arn, tags) {
      if (tags.length === 0) return
      await client.send(new TagResourceCommand({ resourceArn: arn, tags: [...tags] }))
    },
  }
}

/** `web` of `arn:aws:ecs:us-east-1:123456789012:task-definition/web:3`; undefined for anything else. */
export function familyOfArn(arn: string): string | undefined {
  return /:task-definition\/([^:/]+):\d+$/.exec(arn)?.[1]
}

/** `3` of `...:task-definition/web:3`; 0 when the ARN has no revision. */
export function revisionOfArn(arn: string | undefined): number {
  const rev = arn ? /:task-definition\/[^:/]+:(\d+)$/.exec(arn)?.[1] : undefined
  return rev ? Number(rev) : 0
}
