/**
 * What the demo puts in its account, through the API itself where the API can: a space with one
 * service (cluster, task definition, role, log group and service made by one service create), a
 * schedule of the service's task definition, a secret and a parameter of the space, and log lines of the service. ECS would start the service's
 * task and the container would write the logs; moto does neither, so those two go straight to moto.
 * Answers the reads that show it all (the service create is its first tracked deployment, which its
 * diagnosis and deployments list show), for the demo to print as curl commands (a test runs them).
 */
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeServicesCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs'
import { motoClientConfig, setTaskTransition, type DefaultVpcResources } from '../test/harness/moto.js'

export const DEMO_SPACE = 'demo-space'
export const DEMO_SERVICE = 'hello'
export const DEMO_SCHEDULE = 'nightly-report'
const CONTAINER = 'web'

/** A complete service-create body (the README shows the same one). */
export function demoServiceBody(region: string): Record<string, unknown> {
  return {
    cluster: { clusterName: DEMO_SPACE },
    taskDefinition: {
      family: DEMO_SERVICE,
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [
        {
          name: CONTAINER,
          image: 'nginx:alpine',
          memoryReservation: 128,
          portMappings: [{ containerPort: 80, protocol: 'tcp' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': DEMO_SPACE, 'awslogs-stream-prefix': DEMO_SERVICE, 'awslogs-region': region },
          },
        },
      ],
    },
    service: { serviceName: DEMO_SERVICE, desiredCount: 1, launchType: 'FARGATE' },
    tags: [{ Key: 'CreatedBy', Value: 'demo' }],
  }
}

export interface DemoSeedOptions {
  /** `http://host:port/v1/ecs` */
  base: string
  token: string
  account: string
  motoEndpoint: string
  region: string
  vpc: DefaultVpcResources
  log?: (line: string) => void
}

export interface DemoRead {
  label: string
  /** Path and query under `base`. */
  path: string
}

export async function seedDemo(opts: DemoSeedOptions): Promise<DemoRead[]> {
  const log = opts.log ?? (() => undefined)
  const call = async (method: string, path: string, body: unknown): Promise<void> => {
    const res = await fetch(`${opts.base}/${opts.account}${path}`, {
      method,
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
  }
  const spaceTag = { Key: 'spinup:spaceid', Value: DEMO_SPACE }

  log(`creating service ${DEMO_SERVICE} in space ${DEMO_SPACE} (cluster, task definition, role, log group, service)`)
  await call('POST', '/services', demoServiceBody(opts.region))
  log(`scheduling task definition ${DEMO_SERVICE} to run every night (schedule group, scheduler role, schedule)`)
  await call('POST', `/clusters/${DEMO_SPACE}/taskdefs/${DEMO_SERVICE}/schedules`, {
    name: DEMO_SCHEDULE,
    expression: 'cron(0 3 * * ? *)',
    timezone: 'UTC',
  })
  log('creating a secret and a parameter of the space')
  await call('POST', '/secrets', { Name: `${DEMO_SERVICE}-db-password`, SecretString: 'not-a-real-password', Tags: [spaceTag] })
  await call('POST', `/params/${DEMO_SPACE}`, { Name: 'greeting', Value: 'hello from the demo', Type: 'String', Tags: [spaceTag] })

  log("starting the service's task and writing its log lines (moto runs no containers)")
  const config = motoClientConfig(opts.motoEndpoint, undefined, opts.region)
  const ecs = new ECSClient(config)
  const logs = new CloudWatchLogsClient(config)
  try {
    // moto moves a task one state per DescribeTasks; keep it running for the demo's reads.
    await setTaskTransition(opts.motoEndpoint, { progression: 'manual', times: 1_000_000 })
    const described = await ecs.send(new DescribeServicesCommand({ cluster: DEMO_SPACE, services: [DEMO_SERVICE] }))
    const service = described.services?.[0]
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: DEMO_SPACE,
        taskDefinition: service?.taskDefinition,
        launchType: 'FARGATE',
        group: `service:${DEMO_SERVICE}`,
        ...(service?.deployments?.[0]?.id ? { startedBy: service.deployments[0].id } : {}),
        networkConfiguration: {
          awsvpcConfiguration: { subnets: opts.vpc.subnets.slice(0, 1), securityGroups: opts.vpc.securityGroups.slice(0, 1) },
        },
      }),
    )
    const taskArn = run.tasks?.[0]?.taskArn
    if (!taskArn) throw new Error(`moto ran no task: ${JSON.stringify(run.failures)}`)
    const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1)
    const stream = `${DEMO_SERVICE}/${CONTAINER}/${taskId}`
    await logs.send(new CreateLogStreamCommand({ logGroupName: DEMO_SPACE, logStreamName: stream }))
    const now = Date.now()
    const lines = ['nginx: starting', 'nginx: ready for connections on :80', '127.0.0.1 - - "GET / HTTP/1.1" 200 615']
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: DEMO_SPACE,
        logStreamName: stream,
        logEvents: lines.map((message, i) => ({ timestamp: now - (lines.length - i) * 1000, message })),
      }),
    )
    const servicePath = `/clusters/${DEMO_SPACE}/services/${DEMO_SERVICE}`
    return [
      { label: "the org's spaces", path: `/${opts.account}/spaces` },
      { label: 'the space summary', path: `/${opts.account}/spaces/${DEMO_SPACE}` },
      { label: 'the service with its task definition and tasks', path: `/${opts.account}${servicePath}?all=true` },
      { label: 'its logs', path: `/${opts.account}${servicePath}/logs?task=${taskId}&container=${CONTAINER}` },
      { label: 'its diagnosis', path: `/${opts.account}${servicePath}/diagnosis` },
      { label: 'its deployments', path: `/${opts.account}${servicePath}/deployments` },
    ]
  } finally {
    ecs.destroy()
    logs.destroy()
  }
}
