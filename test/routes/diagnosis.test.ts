/**
 * GET .../services/{service}/diagnosis: against moto for tasks stopped with known reasons (moto keeps
 * the stop reason, not exit or stop codes), its AWS calls released round by round (at most four on the
 * critical path), and every failure kind through an SDK mock of ECS and CloudWatch Logs, which can
 * hold exit codes, stop codes, events and a failed rollout.
 */
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Task,
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { CallRounds } from '../harness/call-rounds.js'
import { useMotoReset } from '../harness/index.js'
import { CONTAINER, GROUP, PREFIX, runServiceTask, seedLoggingService, stopTask, writeLines } from './logs-fixtures.js'
import { managedTags, motoClients, OTHER_ORG, seedService } from './services-fixtures.js'

useMotoReset()

const url = (query = '') => `/v1/ecs/main/clusters/space1/services/web/diagnosis${query}`

interface Diagnosis {
  Healthy: boolean
  Summary: string
  Service: { DesiredCount: number; RunningCount: number }
  Deployment: { Status: string; RolloutState: string | null; Source: string } | null
  CircuitBreaker: { Enabled: boolean; State: string; Threshold: number }
  Events: { Message: string; Count: number }[]
  StoppedTasks: { TaskId: string; StoppedReason: string | null; StopCode: string | null; Failure: string | null; Containers: { Name: string; ExitCode: number | null }[] }[]
  Failures: { Kind: string; Title: string; NextStep: string; Count: number; Tasks: string[]; LatestTask: string; Container: string | null; ExitCode: number | null; Detail: string; LogLines: { Message: string }[]; LogsNote: string | null }[]
}

describe('GET .../services/{service}/diagnosis against moto', () => {
  async function seedFailures() {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    const pull1 = await runServiceTask(clients, taskDefinitionArn)
    const pull2 = await runServiceTask(clients, taskDefinitionArn)
    const secrets = await runServiceTask(clients, taskDefinitionArn)
    const scaled = await runServiceTask(clients, taskDefinitionArn)
    await runServiceTask(clients, taskDefinitionArn) // still running
    const pullReason = 'CannotPullContainerError: failed to resolve ref docker.io/library/nope:latest: not found'
    await stopTask(clients, pull1, pullReason)
    await stopTask(clients, pull2, pullReason)
    await stopTask(clients, secrets, 'ResourceInitializationError: unable to pull secrets or registry auth: AccessDeniedException')
    await stopTask(clients, scaled, 'Scaling activity initiated by (deployment ecs-svc/1234567890)')
    const t0 = Date.now() - 120_000
    for (const task of [pull1, pull2]) {
      await writeLines(clients, task, Array.from({ length: 60 }, (_, i) => [t0 + i, `${task} line ${i}`] as const))
    }
    return { pull1, pull2, secrets, scaled }
  }

  it('classifies the stopped tasks, folds repeats and shows the last 50 lines of the latest failing container', async () => {
    const { pull1, pull2, secrets, scaled } = await seedFailures()
    const app = await buildTestApp()
    const res = await app.inject({ url: url(), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    const body = res.json<Diagnosis>()
    expect(body.Healthy).toBe(false)
    expect(body.Deployment).toMatchObject({ Status: 'PRIMARY', Source: 'DescribeServices' })
    expect(body.StoppedTasks.map((t) => t.TaskId).sort()).toEqual([pull1, pull2, secrets, scaled].sort())
    expect(body.StoppedTasks.find((t) => t.TaskId === scaled)!.Failure).toBeNull()
    const kinds = body.Failures.map((f) => f.Kind).sort()
    expect(kinds).toEqual(['image-pull', 'secrets-unreadable'])
    const pull = body.Failures.find((f) => f.Kind === 'image-pull')!
    expect(pull.Count).toBe(2)
    expect(pull.Tasks.sort()).toEqual([pull1, pull2].sort())
    expect(pull.Container).toBe(CONTAINER)
    expect(pull.Detail).toContain('CannotPullContainerError')
    expect(pull.LogLines).toHaveLength(50)
    expect(pull.LogLines[0]!.Message).toBe(`${pull.LatestTask} line 10`)
    expect(pull.LogLines.at(-1)!.Message).toBe(`${pull.LatestTask} line 59`)
    const secretsFailure = body.Failures.find((f) => f.Kind === 'secrets-unreadable')!
    expect(secretsFailure.LogLines).toEqual([])
    expect(secretsFailure.LogsNote).toContain('no log stream')
    expect(body.Summary).toContain('image cannot be pulled x2')
  })

  it('reads everything with at most 4 AWS calls on the critical path', async () => {
    await seedFailures()
    const app = await buildTestApp()
    const rounds = new CallRounds()
    rounds.attach(app.accounts.get('main')!.clients.ecs)
    rounds.attach(app.accounts.get('main')!.clients.logs)
    const res = await app.inject({ url: url(), headers: authHeaders })
    expect(res.statusCode).toBe(200)
    // Three rounds here: every failed task ran the revision the service runs, so none is described late.
    expect(rounds.rounds).toEqual([
      ['DescribeServices', 'ListTasks'],
      ['DescribeTaskDefinition', 'DescribeTasks'],
      ['GetLogEvents', 'GetLogEvents'],
    ])
  })

  it('describes the revision of a failed task that no deployment runs in a third round: the log tails are the fourth, and last', async () => {
    const clients = motoClients()
    const { taskDefinitionArn } = await seedLoggingService(clients)
    // A revision the service no longer runs (as after a rollback): its failed task still gets its log lines.
    const current = (await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn, include: ['TAGS'] })))
    const { family, cpu, memory, networkMode, requiresCompatibilities, containerDefinitions } = current.taskDefinition!
    const older = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({ family, cpu, memory, networkMode, requiresCompatibilities, containerDefinitions, tags: current.tags }),
    )
    const oldFailed = await runServiceTask(clients, older.taskDefinition!.taskDefinitionArn!)
    const failed = await runServiceTask(clients, taskDefinitionArn)
    await stopTask(clients, oldFailed, 'CannotPullContainerError: pull access denied for private/app')
    await stopTask(clients, failed, 'ResourceInitializationError: unable to pull secrets or registry auth')
    await writeLines(clients, oldFailed, [[Date.now() - 60_000, 'old revision, last words']])

    const app = await buildTestApp()
    const rounds = new CallRounds()
    rounds.attach(app.accounts.get('main')!.clients.ecs)
    rounds.attach(app.accounts.get('main')!.clients.logs)
    const res = await app.inject({ url: url(), headers: authHeaders })
    expect(res.statusCode, res.body).toBe(200)
    expect(rounds.rounds).toEqual([
      ['DescribeServices', 'ListTasks'],
      ['DescribeTaskDefinition', 'DescribeTasks'],
      ['DescribeTaskDefinition'],
      ['GetLogEvents', 'GetLogEvents'],
    ])
    const pull = res.json<Diagnosis>().Failures.find((f) => f.Kind === 'image-pull')!
    expect(pull.Tasks).toEqual([oldFailed])
    expect(pull.LogLines.map((l) => l.Message)).toEqual(['old revision, last words'])
  })

  it('refuses a window that is not a duration, naming it, and is a 404 for a service of another org', async () => {
    const clients = motoClients()
    await seedLoggingService(clients)
    await seedService(clients.ecs, 'space1', 'theirs', { org: OTHER_ORG })
    const app = await buildTestApp()
    const bad = await app.inject({ url: url('?window=soon'), headers: authHeaders })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().field).toBe('window')
    const foreign = await app.inject({ url: '/v1/ecs/main/clusters/space1/services/theirs/diagnosis', headers: authHeaders })
    expect(foreign.statusCode).toBe(404)
  })
})

describe('GET .../services/{service}/diagnosis, every failure kind (SDK mock)', () => {
  const cluster = 'arn:aws:ecs:us-east-1:123456789012:cluster/space1'
  const td = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web-family:3'
  const now = Date.now()
  let n = 0
  /** A stopped task of `web` with its app container's exit code and reason. */
  function stopped(stopCode: string, stoppedReason: string, exitCode?: number, reason?: string): Task {
    n++
    const id = `${n.toString(16).padStart(32, '0')}`
    return {
      taskArn: `arn:aws:ecs:us-east-1:123456789012:task/space1/${id}`,
      clusterArn: cluster,
      taskDefinitionArn: td,
      group: 'service:web',
      lastStatus: 'STOPPED',
      stopCode: stopCode as Task['stopCode'],
      stoppedReason,
      stoppedAt: new Date(now - n * 1000),
      containers: [
        { name: 'app', exitCode, reason, lastStatus: 'STOPPED' },
        { name: 'sidecar', exitCode: exitCode === undefined ? undefined : 0, lastStatus: 'STOPPED' },
      ],
    }
  }

  const cases: Array<[string, Task]> = [
    ['image-pull', stopped('TaskFailedToStart', 'CannotPullContainerError: pull access denied for private/app')],
    ['secrets-unreadable', stopped('TaskFailedToStart', 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm')],
    ['out-of-memory', stopped('EssentialContainerExited', 'Essential container in task exited', 137, 'OutOfMemoryError: Container killed due to memory usage')],
    ['essential-container-exited', stopped('EssentialContainerExited', 'Essential container in task exited', 3)],
    ['container-health-check', stopped('TaskFailedToStart', 'Task failed container health checks')],
    ['load-balancer-health-check', stopped('ServiceSchedulerInitiated', 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)')],
    ['capacity-unavailable', stopped('TaskFailedToStart', 'Capacity is unavailable at this time. Please try again later or in a different availability zone')],
    ['network-configuration', stopped('TaskFailedToStart', 'CannotCreateNetworkInterface: no free IP addresses in subnet subnet-123')],
    ['unknown', stopped('TaskFailedToStart', 'Something nobody has seen before')],
  ]
  const userStop = stopped('UserInitiated', 'Task stopped by user', 143)

  it('files each stopped task under its kind, with explanation, next step, exit code and log lines', async () => {
    const ecs = mockClient(ECSClient)
    const logs = mockClient(CloudWatchLogsClient)
    try {
      ecs.on(DescribeServicesCommand).resolves({
        services: [
          {
            serviceName: 'web',
            serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/space1/web',
            status: 'ACTIVE',
            desiredCount: 2,
            runningCount: 0,
            pendingCount: 1,
            taskDefinition: td,
            tags: managedTags(TEST_ORG, 'space1'),
            deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
            deployments: [
              { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3, desiredCount: 2, runningCount: 0 },
            ],
            events: [
              { id: '1', createdAt: new Date(now - 1000), message: '(service web) has started 1 tasks: (task 0000000000000000000000000000000a).' },
              { id: '2', createdAt: new Date(now - 2000), message: '(service web) has started 1 tasks: (task 0000000000000000000000000000000b).' },
              { id: '3', createdAt: new Date(now - 3000), message: '(service web) deployment ecs-svc/1 deployment failed: tasks failed to start.' },
              { id: '4', createdAt: new Date(now - 7_200_000), message: 'an event older than the window' },
            ],
          },
        ],
      })
      ecs.on(ListTasksCommand).resolves({ taskArns: [...cases.map(([, t]) => t.taskArn!), userStop.taskArn!] })
      ecs.on(DescribeTasksCommand).resolves({ tasks: [...cases.map(([, t]) => t), userStop], failures: [] })
      ecs.on(DescribeTaskDefinitionCommand).resolves({
        taskDefinition: {
          taskDefinitionArn: td,
          containerDefinitions: ['app', 'sidecar'].map((name) => ({
            name,
            essential: name === 'app',
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': PREFIX } },
          })),
        },
      })
      logs.on(GetLogEventsCommand).callsFake((input: { logStreamName: string }) => ({
        events: [{ timestamp: now, message: `last line of ${input.logStreamName}`, ingestionTime: now }],
      }))

      const app = await buildTestApp()
      const res = await app.inject({ url: url('?window=30m'), headers: authHeaders })
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json<Diagnosis>()
      expect(body.Failures.map((f) => f.Kind).sort()).toEqual(cases.map(([kind]) => kind).sort())
      for (const [kind, task] of cases) {
        const failure = body.Failures.find((f) => f.Kind === kind)!
        const id = task.taskArn!.split('/').pop()!
        expect(failure.Tasks, kind).toEqual([id])
        expect(failure.NextStep.length, kind).toBeGreaterThan(10)
        expect(failure.Container, kind).toBe('app')
        expect(failure.LogLines, kind).toEqual([{ Timestamp: new Date(now).toISOString(), Message: `last line of ${PREFIX}/app/${id}` }])
      }
      expect(body.Failures.find((f) => f.Kind === 'essential-container-exited')).toMatchObject({ ExitCode: 3, Title: 'An essential container exited (exit 3)' })
      expect(body.Failures.find((f) => f.Kind === 'out-of-memory')!.ExitCode).toBe(137)
      expect(body.Failures.find((f) => f.Kind === 'unknown')!.Detail).toBe('Something nobody has seen before')
      expect(body.StoppedTasks.find((t) => t.StopCode === 'UserInitiated')!.Failure).toBeNull()
      expect(body.CircuitBreaker).toEqual({ Enabled: true, Rollback: true, Threshold: 3, FailedTasks: 3, State: 'triggered' })
      expect(body.Deployment).toMatchObject({ RolloutState: 'FAILED', Source: 'DescribeServices' })
      expect(body.Events).toEqual([
        expect.objectContaining({ Message: '(service web) has started 1 tasks: (task 0000000000000000000000000000000a).', Count: 2 }),
        expect.objectContaining({ Message: '(service web) deployment ecs-svc/1 deployment failed: tasks failed to start.', Count: 1 }),
      ])
      expect(body.Healthy).toBe(false)
      expect(body.Summary).toContain('0 of 2 tasks running')
      expect(body.Summary).toContain('circuit breaker triggered')
    } finally {
      ecs.restore()
      logs.restore()
    }
  })

  it("files the listed variants (bad tag, registry refusing the credentials, execution role denied), a placement failure seen only in the events, and leaves out tasks stopped before the default 1 h window (SDK mock)", async () => {
    const badTag = stopped('TaskFailedToStart', 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:no-such-tag: docker.io/library/nginx:no-such-tag: not found')
    const credentials = stopped('TaskFailedToStart', 'CannotPullContainerError: Error response from daemon: Head "https://registry.example.com/v2/private/app/manifests/1.0": unauthorized: authentication required')
    const roleDenied = stopped('TaskFailedToStart', 'Fetching secret data from AWS Secrets Manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/space1-exec/abc is not authorized to perform: secretsmanager:GetSecretValue')
    const tooOld = { ...stopped('TaskFailedToStart', 'CannotPullContainerError: pull access denied'), stoppedAt: new Date(now - 2 * 3_600_000) }
    const placement = '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.'
    const ecs = mockClient(ECSClient)
    const logs = mockClient(CloudWatchLogsClient)
    try {
      ecs.on(DescribeServicesCommand).resolves({
        services: [
          {
            serviceName: 'web',
            serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/space1/web',
            status: 'ACTIVE',
            desiredCount: 1,
            runningCount: 0,
            taskDefinition: td,
            tags: managedTags(TEST_ORG, 'space1'),
            deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: td, rolloutState: 'IN_PROGRESS', desiredCount: 1, runningCount: 0 }],
            events: [
              { id: '1', createdAt: new Date(now - 60_000), message: placement },
              { id: '2', createdAt: new Date(now - 120_000), message: placement },
            ],
          },
        ],
      })
      const all = [badTag, credentials, roleDenied, tooOld]
      ecs.on(ListTasksCommand).resolves({ taskArns: all.map((t) => t.taskArn!) })
      ecs.on(DescribeTasksCommand).resolves({ tasks: all, failures: [] })
      ecs.on(DescribeTaskDefinitionCommand).resolves({
        taskDefinition: {
          taskDefinitionArn: td,
          containerDefinitions: [{ name: 'app', essential: true, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': PREFIX } } }],
        },
      })
      logs.on(GetLogEventsCommand).resolves({ events: [] })

      const app = await buildTestApp()
      const res = await app.inject({ url: url(), headers: authHeaders })
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json<Diagnosis & { Window: string }>()
      const id = (t: Task) => t.taskArn!.split('/').pop()!
      expect(body.Window).toBe('1h')
      expect(body.StoppedTasks.map((t) => [t.TaskId, t.Failure])).toEqual([
        [id(badTag), 'image-pull'],
        [id(credentials), 'image-pull'],
        [id(roleDenied), 'secrets-unreadable'],
      ])
      expect(body.Failures.map((f) => [f.Kind, f.Count, f.Tasks])).toEqual([
        ['image-pull', 2, [id(badTag), id(credentials)]],
        ['secrets-unreadable', 1, [id(roleDenied)]],
        ['capacity-unavailable', 2, []],
      ])
      expect(body.Failures.find((f) => f.Kind === 'capacity-unavailable')).toMatchObject({ Detail: placement, LogLines: [], LogsNote: 'no task was placed, so there are no logs' })
      expect(body.Events).toEqual([expect.objectContaining({ Message: placement, Count: 2 })])
    } finally {
      ecs.restore()
      logs.restore()
    }
  })
})
