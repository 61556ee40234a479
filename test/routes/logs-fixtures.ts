/**
 * Seeding moto for the logs and diagnosis route tests: a service whose container logs through
 * awslogs, tasks of it run and stopped in moto, and log events written into the streams ECS would
 * name (`<prefix>/<container>/<task id>`).
 */
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs'
import { defaultVpcResources, motoEndpoint } from '../harness/index.js'
import type { motoClients} from './services-fixtures.js';
import { seedService, type SeedOptions } from './services-fixtures.js'

export const GROUP = 'space1-logs'
export const PREFIX = 'webfam'
export const CONTAINER = 'app'

export type Clients = ReturnType<typeof motoClients>

/** The service `web` in `space1` logging to GROUP with PREFIX, its log group made. */
export async function seedLoggingService(clients: Clients, name = 'web', opts: SeedOptions = {}) {
  const seeded = await seedService(clients.ecs, 'space1', name, { logGroup: GROUP, streamPrefix: PREFIX, container: CONTAINER, ...opts })
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: opts.logGroup ?? GROUP })).catch(() => undefined)
  return seeded
}

/** Runs a task as the service's scheduler would (group `service:<name>`); answers its id. */
export async function runServiceTask(clients: Clients, taskDefinitionArn: string, service = 'web'): Promise<string> {
  const vpc = await defaultVpcResources(motoEndpoint())
  const run = await clients.ecs.send(
    new RunTaskCommand({
      cluster: 'space1',
      taskDefinition: taskDefinitionArn,
      launchType: 'FARGATE',
      group: `service:${service}`,
      networkConfiguration: { awsvpcConfiguration: { subnets: vpc.subnets.slice(0, 1), securityGroups: vpc.securityGroups.slice(0, 1) } },
    }),
  )
  return run.tasks![0]!.taskArn!.split('/').pop()!
}

export async function stopTask(clients: Clients, taskId: string, reason: string): Promise<void> {
  await clients.ecs.send(new StopTaskCommand({ cluster: 'space1', task: taskId, reason }))
}

/** Writes `[timestamp, message]` lines into the task's stream of `container`, creating it when new. */
export async function writeLines(
  clients: Clients,
  taskId: string,
  lines: readonly (readonly [number, string])[],
  container = CONTAINER,
  group = GROUP,
  prefix = PREFIX,
): Promise<void> {
  const stream = `${prefix}/${container}/${taskId}`
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(() => undefined)
  await clients.logs.send(
    new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: lines.map(([timestamp, message]) => ({ timestamp, message })) }),
  )
}
