/**
 * The rollout simulator: a loopback HTTP proxy in front of moto for what moto cannot do, rolling
 * ECS deployments forward. moto's deployments are fixed at CreateService (test-backends.md 1.10);
 * this proxy passes every call through and, for the services a test scripts, rewrites ECS's answers
 * of DescribeServices (deployments, events), ListTasks and DescribeTasks (stopped and running tasks
 * with stop codes, reasons, exit codes and image digests) step by step.
 *
 *   const sim = await startRolloutSimulator(motoEndpoint())       // stopped after the test
 *   const app = await buildTestApp({ accounts: ... endpoint: sim.endpoint ... })
 *   sim.script('api', [{ deployments: inProgress() , polls: 2 }, { deployments: completed() }])
 *
 * A step holds for `polls` DescribeServices answers naming the service (1 by default), then the
 * next one shows; the last holds for good. ECS speaks JSON 1.1 (`X-Amz-Target`), so rewriting is
 * JSON in, JSON out; times are epoch seconds.
 *
 * moto has no ListServiceDeployments or StopServiceDeployment (the API then goes back by
 * UpdateService); `offerServiceDeployments(service)` makes the simulator answer both for that
 * service, as an ECS that offers them would, and records each stop it was asked for.
 */
import { randomBytes } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Json = Record<string, unknown>

/** A service as moto answered it in DescribeServices (wire form: camelCase, epoch seconds). */
export type WireService = Json & { serviceName: string; taskDefinition: string; desiredCount: number; clusterArn: string }
export type WireDeployment = Json

export interface SimContainer {
  name: string
  exitCode?: number
  reason?: string
  image?: string
  imageDigest?: string
}

export interface SimTask {
  /** Default: the service's task definition at the time the step first shows. */
  taskDefinitionArn?: string
  stopCode?: string
  stoppedReason?: string
  containers: SimContainer[]
  startedBy?: string
}

export interface SimStep {
  /** The service's deployments for this step, made from moto's service (see the helpers below). */
  deployments?: (service: WireService) => WireDeployment[]
  /** Service events this step adds (they stay for later steps too). */
  events?: string[]
  /** Tasks that stopped during this step (they stay stopped in later steps). */
  stoppedTasks?: SimTask[]
  /** The tasks running while this step shows. */
  runningTasks?: SimTask[]
  /** DescribeServices answers (naming the service) this step gives before the next one shows. */
  polls?: number
}

interface ShownTask {
  wire: Json
  status: 'STOPPED' | 'RUNNING'
}

interface Script {
  steps: SimStep[]
  index: number
  shown: number
  /** Service events and stopped tasks of the steps shown so far, and the running tasks of the current. */
  events: Json[]
  stopped: ShownTask[]
  running: ShownTask[]
  entered: Set<number>
}

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.'
const now = (): number => Date.now() / 1000

function taskWire(task: SimTask, service: WireService, status: 'STOPPED' | 'RUNNING'): Json {
  const region = /arn:aws:ecs:([^:]+):(\d+):cluster\/(.+)$/.exec(service.clusterArn)
  const [, reg = 'us-east-1', account = '123456789012', cluster = 'default'] = region ?? []
  const t = now()
  return {
    taskArn: `arn:aws:ecs:${reg}:${account}:task/${cluster}/sim${randomBytes(14).toString('hex')}`,
    clusterArn: service.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn ?? service.taskDefinition,
    lastStatus: status,
    desiredStatus: status,
    createdAt: t,
    startedAt: t,
    ...(task.startedBy ? { startedBy: task.startedBy } : {}),
    ...(status === 'STOPPED'
      ? { stoppedAt: t, stopCode: task.stopCode ?? 'TaskFailedToStart', stoppedReason: task.stoppedReason ?? 'Essential container in task exited' }
      : {}),
    launchType: 'FARGATE',
    group: `service:${service.serviceName}`,
    containers: task.containers.map((c) => ({
      name: c.name,
      lastStatus: status,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.image ? { image: c.image } : {}),
      ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
    })),
    tags: [],
  }
}

// ---- deployment helpers: what ECS shows in each phase of a rollout ------------------------------

function deployment(service: WireService, fields: Json): WireDeployment {
  const t = now()
  return {
    id: `ecs-svc/sim${String(service.taskDefinition.split(':').pop())}`,
    status: 'PRIMARY',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: t,
    updatedAt: t,
    launchType: 'FARGATE',
    ...fields,
  }
}

/** The new revision rolling out: `running` of the desired tasks up. */
export const inProgress =
  (running = 0, failedTasks = 0) =>
  (s: WireService): WireDeployment[] => [
    deployment(s, { rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment in progress.', runningCount: running, pendingCount: s.desiredCount - running, failedTasks }),
  ]

/** Done: PRIMARY, COMPLETED, running = desired. */
export const completed =
  () =>
  (s: WireService): WireDeployment[] => [
    deployment(s, { rolloutState: 'COMPLETED', rolloutStateReason: 'ECS deployment completed.', runningCount: s.desiredCount }),
  ]

/** ECS gave up on the deployment and did not go back (no rollback configured). */
export const failed =
  (failedTasks = 3) =>
  (s: WireService): WireDeployment[] => [
    deployment(s, { rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks }),
  ]

/** The circuit breaker rolled back: a new PRIMARY on `previous`, the failed one still ACTIVE. */
export const rollingBack =
  (previous: string, failedTasks = 3) =>
  (s: WireService): WireDeployment[] => [
    deployment(s, { id: 'ecs-svc/simrollback', taskDefinition: previous, rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment circuit breaker: rolling back to the previous deployment.' }),
    deployment(s, { status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks }),
  ]

/** After the rollback: only the PRIMARY on `previous`, the failed one gone. */
export const rolledBack =
  (previous: string) =>
  (s: WireService): WireDeployment[] => [
    deployment(s, { id: 'ecs-svc/simrollback', taskDefinition: previous, rolloutState: 'COMPLETED', rolloutStateReason: 'ECS deployment completed.', runningCount: s.desiredCount }),
  ]

// ---- the proxy --------------------------------------------------------------------------------

export interface RolloutSimulator {
  /** Point the app's account `endpoint` here. */
  readonly endpoint: string
  /** Scripts `service` (by name) from now on; replaces an earlier script. */
  script(service: string, steps: SimStep[]): void
  /** DescribeServices calls that named `service`, by the time asked. */
  describeCalls(service: string): number
  /** The ECS operations that reached the proxy, in order (for example `UpdateService`). */
  readonly operations: string[]
  /**
   * Answers ListServiceDeployments and StopServiceDeployment for `service` (by name) from now on:
   * the listing shows one IN_PROGRESS deployment until a stop is asked for, then none.
   */
  offerServiceDeployments(service: string): void
  /** The StopServiceDeployment inputs the simulator answered, in order. */
  readonly stopRequests: Json[]
  /**
   * Adds a deployment to ECS's own list of `service` (ListServiceDeployments, newest first, with its
   * revision for DescribeServiceRevisions), as one made outside the API or by it; the service then
   * offers the calls (see `offerServiceDeployments`).
   */
  addEcsDeployment(service: string, deployment: EcsListedDeployment): void
  stop(): Promise<void>
}

/** A deployment in ECS's own list of a service (`addEcsDeployment`). */
export interface EcsListedDeployment {
  arn: string
  status: string
  /** Epoch seconds, as ECS's JSON carries times. */
  createdAt: number
  finishedAt?: number
  statusReason?: string
  taskDefinition: string
  images?: { containerName: string; image: string; imageDigest?: string }[]
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startRolloutSimulator(target: string): Promise<RolloutSimulator> {
  const upstream = new URL(target)
  const scripts = new Map<string, Script>()
  const describeCounts = new Map<string, number>()
  const operations: string[] = []
  /** Services whose ECS deployments the simulator answers: the ARN of the one in progress, if any. */
  const offered = new Map<string, string | undefined>()
  const stopRequests: Json[] = []
  /** ECS's own list of deployments, by service name (`addEcsDeployment`). */
  const listed = new Map<string, EcsListedDeployment[]>()
  const revisionArn = (d: EcsListedDeployment): string => `${d.arn.replace(':service-deployment/', ':service-revision/')}-revision`

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) } },
        (res) => {
          void readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject)
        },
      )
      out.on('error', reject)
      out.end(body)
    })

  /** Shows the script's current step (entering it the first time adds its events and tasks). */
  const current = (script: Script, service: WireService): SimStep => {
    const step = script.steps[script.index]!
    if (!script.entered.has(script.index)) {
      script.entered.add(script.index)
      const t = now()
      for (const message of step.events ?? []) {
        script.events.unshift({ id: `sim-${randomBytes(6).toString('hex')}`, createdAt: t, message: `(service ${service.serviceName}) ${message}` })
      }
      for (const task of step.stoppedTasks ?? []) script.stopped.push({ wire: taskWire(task, service, 'STOPPED'), status: 'STOPPED' })
      script.running = (step.runningTasks ?? []).map((task) => ({ wire: taskWire(task, service, 'RUNNING'), status: 'RUNNING' }))
    }
    return step
  }

  const advance = (script: Script): void => {
    const step = script.steps[script.index]!
    script.shown += 1
    if (script.shown >= (step.polls ?? 1) && script.index < script.steps.length - 1) {
      script.index += 1
      script.shown = 0
    }
  }

  const rewriteDescribeServices = (answer: Json): Json => {
    const services = (answer.services as WireService[] | undefined) ?? []
    for (const service of services) {
      describeCounts.set(service.serviceName, (describeCounts.get(service.serviceName) ?? 0) + 1)
      const script = scripts.get(service.serviceName)
      if (!script) continue
      const step = current(script, service)
      if (step.deployments) service.deployments = step.deployments(service)
      const primary = (service.deployments as Json[] | undefined)?.find((d) => d.status === 'PRIMARY')
      if (primary) {
        service.runningCount = primary.runningCount
        service.pendingCount = primary.pendingCount
      }
      service.events = [...script.events, ...((service.events as Json[] | undefined) ?? [])]
      advance(script)
    }
    return answer
  }

  const tasksOf = (serviceName: string | undefined): ShownTask[] => {
    if (serviceName !== undefined) {
      const s = scripts.get(serviceName)
      return s ? [...s.stopped, ...s.running] : []
    }
    return [...scripts.values()].flatMap((s) => [...s.stopped, ...s.running])
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req)
    const targetHeader = req.headers['x-amz-target']
    const op = typeof targetHeader === 'string' && targetHeader.startsWith(ECS_TARGET) ? targetHeader.slice(ECS_TARGET.length) : undefined
    if (op) operations.push(op)
    const input = op ? (JSON.parse(body.toString('utf8') || '{}') as Json) : {}

    // ECS's own service deployments, for the services that offer them (moto has neither call).
    if (op === 'ListServiceDeployments' || op === 'StopServiceDeployment') {
      const ref = String(op === 'ListServiceDeployments' ? input.service : input.serviceDeploymentArn)
      const name = [...offered.keys()].find((n) => ref === n || ref.endsWith(`/${n}`) || ref.includes(`/${n}/`))
      if (name !== undefined) {
        const inFlight = offered.get(name)
        if (op === 'ListServiceDeployments') {
          const brief: Json[] = inFlight ? [{ serviceDeploymentArn: inFlight, serviceArn: ref, status: 'IN_PROGRESS', createdAt: now(), startedAt: now() }] : []
          const wanted = input.status as string[] | undefined
          for (const d of [...(listed.get(name) ?? [])].sort((a, b) => b.createdAt - a.createdAt)) {
            if (wanted && !wanted.includes(d.status)) continue
            brief.push({
              serviceDeploymentArn: d.arn,
              serviceArn: ref,
              status: d.status,
              createdAt: d.createdAt,
              startedAt: d.createdAt,
              ...(d.finishedAt !== undefined ? { finishedAt: d.finishedAt } : {}),
              ...(d.statusReason ? { statusReason: d.statusReason } : {}),
              targetServiceRevisionArn: revisionArn(d),
            })
          }
          send(res, 200, { 'content-type': 'application/x-amz-json-1.1' }, { serviceDeployments: brief })
        } else {
          stopRequests.push(input)
          offered.set(name, undefined)
          send(res, 200, { 'content-type': 'application/x-amz-json-1.1' }, { serviceDeploymentArn: ref })
        }
        return
      }
    }

    // The revisions of ECS's listed deployments (moto has no service revisions).
    if (op === 'DescribeServiceRevisions') {
      const asked = (input.serviceRevisionArns as string[] | undefined) ?? []
      const all = [...listed.values()].flat()
      const serviceRevisions = all
        .filter((d) => asked.includes(revisionArn(d)))
        .map((d) => ({ serviceRevisionArn: revisionArn(d), taskDefinition: d.taskDefinition, containerImages: d.images ?? [] }))
      send(res, 200, { 'content-type': 'application/x-amz-json-1.1' }, { serviceRevisions, failures: [] })
      return
    }

    // DescribeTasks of simulated tasks only: answered here (moto does not know them).
    let simulated: ShownTask[] = []
    let forwardBody = body
    if (op === 'DescribeTasks') {
      const asked = (input.tasks as string[] | undefined) ?? []
      const all = tasksOf(undefined)
      simulated = all.filter((t) => asked.includes(t.wire.taskArn as string))
      const rest = asked.filter((arn) => !simulated.some((t) => t.wire.taskArn === arn))
      if (rest.length === 0 && simulated.length > 0) {
        send(res, 200, { 'content-type': 'application/x-amz-json-1.1' }, { tasks: simulated.map((t) => t.wire), failures: [] })
        return
      }
      forwardBody = Buffer.from(JSON.stringify({ ...input, tasks: rest }))
    }

    const answer = await forward(req, forwardBody)
    if (!op || answer.status !== 200 || !['DescribeServices', 'ListTasks', 'DescribeTasks'].includes(op)) {
      res.writeHead(answer.status, answer.headers)
      res.end(answer.body)
      return
    }
    const json = JSON.parse(answer.body.toString('utf8') || '{}') as Json
    if (op === 'DescribeServices') rewriteDescribeServices(json)
    if (op === 'ListTasks') {
      const serviceName = input.serviceName as string | undefined
      if (serviceName !== undefined && scripts.has(serviceName)) {
        const wanted = (input.desiredStatus as string | undefined) ?? 'RUNNING'
        const extra = tasksOf(serviceName).filter((t) => t.status === wanted).map((t) => t.wire.taskArn as string)
        json.taskArns = [...((json.taskArns as string[] | undefined) ?? []), ...extra]
      }
    }
    if (op === 'DescribeTasks') {
      json.tasks = [...((json.tasks as Json[] | undefined) ?? []), ...simulated.map((t) => t.wire)]
    }
    const headers = { ...answer.headers }
    delete headers['content-length']
    send(res, 200, headers, json)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(String(err))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  let stopped: Promise<void> | undefined
  return {
    endpoint: `http://127.0.0.1:${port}`,
    operations,
    script(service, steps) {
      if (steps.length === 0) throw new Error('a script needs at least one step')
      scripts.set(service, { steps, index: 0, shown: 0, events: [], stopped: [], running: [], entered: new Set() })
    },
    describeCalls: (service) => describeCounts.get(service) ?? 0,
    stopRequests,
    offerServiceDeployments(service) {
      offered.set(service, `arn:aws:ecs:us-east-1:123456789012:service-deployment/sim/${service}/sim${randomBytes(8).toString('hex')}`)
    },
    addEcsDeployment(service, deployment) {
      if (!offered.has(service)) offered.set(service, undefined)
      listed.set(service, [...(listed.get(service) ?? []), deployment])
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
      return stopped
    },
  }
}

function send(res: ServerResponse, status: number, headers: IncomingMessage['headers'], json: unknown): void {
  const text = Buffer.from(JSON.stringify(json))
  res.writeHead(status, { ...headers, 'content-length': String(text.length) })
  res.end(text)
}
