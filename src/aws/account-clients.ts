import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { IAMClient } from '@aws-sdk/client-iam'
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api'
import type { SchedulerClient } from '@aws-sdk/client-scheduler'
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery'
import type { SSMClient } from '@aws-sdk/client-ssm'
import type { STSClient } from '@aws-sdk/client-sts'
import type { UndiciHttpHandler } from '@smithy/undici-http-handler'
import type { AwsCredentialIdentityProvider, InitializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types'
import type { AccountConfig } from '../config/schema.js'
import type { Metrics } from '../observability/metrics.js'
import { accountCredentials } from './credentials.js'
import { awsRequestHandler } from './request-handler.js'
import { translateAwsError } from './translate-error.js'
import { noteAwsRequestId } from '../observability/aws-request-ids.js'
import { applicationAutoScalingPackage } from './sdk/application-autoscaling.js'
import { cloudWatchLogsPackage } from './sdk/cloudwatch-logs.js'
import { ec2Package } from './sdk/ec2.js'
import { ecsPackage } from './sdk/ecs.js'
import { elbv2Package } from './sdk/elbv2.js'
import { iamPackage } from './sdk/iam.js'
import { schedulerPackage } from './sdk/scheduler.js'
import { secretsManagerPackage } from './sdk/secrets-manager.js'
import { serviceDiscoveryPackage } from './sdk/service-discovery.js'
import { ssmPackage } from './sdk/ssm.js'
import { stsPackage } from './sdk/sts.js'
import { taggingPackage } from './sdk/tagging.js'

interface SdkClientConfig {
  region: string
  credentials: AwsCredentialIdentityProvider
  endpoint?: string
  maxAttempts: number
  requestHandler?: UndiciHttpHandler
  cacheMiddleware: boolean
}

/**
 * Records every call in the AWS metrics and translates its errors to domain errors, so adapters only
 * ever see domain errors. A plugin, so the STS client inside AssumeRole credentials gets it too.
 */
export function instrumentation(service: string, metrics: Metrics | undefined): Pluggable<object, MetadataBearer> {
  const middleware: InitializeMiddleware<object, MetadataBearer> = (next, ctx) => async (args) => {
    const operation = (ctx.commandName ?? 'Unknown').replace(/Command$/, '')
    const end = metrics?.awsDuration.startTimer({ service, operation })
    try {
      const out = await next(args)
      // Test doubles may answer without $metadata.
      noteAwsRequestId(operation, (out.output as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId)
      end?.({ outcome: 'ok' })
      metrics?.awsCalls.inc({ service, operation, outcome: 'ok' })
      return out
    } catch (err) {
      const outcome = err instanceof Error ? err.name : 'error'
      noteAwsRequestId(operation, (err as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId)
      end?.({ outcome })
      metrics?.awsCalls.inc({ service, operation, outcome })
      throw translateAwsError(err, service, operation)
    }
  }
  return {
    applyToStack: (stack) => stack.add(middleware, { step: 'initialize', name: 'ecsApiInstrumentation', priority: 'high' }),
  }
}

interface SdkClient {
  middlewareStack: { use(plugin: Pluggable<object, MetadataBearer>): void }
}

/** What `resolvedOnce` touches of a client: its stack's changing methods, its config's switch, `send`. */
interface CachingClient {
  middlewareStack: Record<(typeof stackChanges)[number], (...args: never[]) => unknown>
  config: { cacheMiddleware?: boolean }
  send(command: { middlewareStack: { applyToStack(stack: EntryCounter): void } }, ...rest: unknown[]): unknown
}

interface EntryCounter {
  add(): void
  addRelativeTo(): void
}

/**
 * Whether a command carries middleware of its own. Counted by letting its stack copy itself onto a
 * counter: `identify()` would leave out an entry placed relative to one the stack does not hold yet.
 */
function hasOwnMiddleware(command: Parameters<CachingClient['send']>[0]): boolean {
  let entries = 0
  const count = (): void => void entries++
  command.middlewareStack.applyToStack({ add: count, addRelativeTo: count })
  return entries > 0
}

const stackChanges = ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag'] as const

/**
 * With `cacheMiddleware`, a client resolves its middleware stack once per command class instead of
 * on every call (the SDK otherwise re-sorts some 30 middleware entries per call: about 0.07 ms of
 * CPU per AWS call, a tenth of a one-call read's CPU). Two cases the SDK's cache alone would get
 * wrong are kept right here:
 * - a change to the client's stack after it was used (test doubles add middleware to a used
 *   client) takes effect on the next call, which resolves afresh and is cached again;
 * - a command carrying middleware of its own (`takeJsonAnswer`) is resolved for itself, not
 *   handed the resolution of an earlier command of its class.
 * Both go through the SDK's uncached path for that one call (turning the switch off around a `send`
 * is safe: the stack is resolved synchronously inside it).
 * Calls of one class then share the SDK's handler context, into which each call writes its
 * endpoint, signing region and identity: all the same for one account's client (no endpoint of
 * these services depends on the input, and credentials come from the account's one provider).
 */
function resolvedOnce<C>(client: C): C {
  const caching = client as unknown as CachingClient
  const stack = caching.middlewareStack
  let changed = false
  for (const name of stackChanges) {
    const change = stack[name].bind(stack)
    stack[name] = (...args: never[]) => {
      changed = true
      return change(...args)
    }
  }
  // The class's `send`, looked up per call: test doubles replace it on the prototype after clients exist.
  const send = (command: Parameters<CachingClient['send']>[0], ...rest: unknown[]): unknown =>
    (Object.getPrototypeOf(caching) as CachingClient).send.call(caching, command, ...rest)
  caching.send = (command, ...rest) => {
    if (!changed && !hasOwnMiddleware(command)) return send(command, ...rest)
    changed = false
    caching.config.cacheMiddleware = false
    try {
      return send(command, ...rest)
    } finally {
      caching.config.cacheMiddleware = true
    }
  }
  return client
}

function instrument<C extends SdkClient>(client: C, service: string, metrics: Metrics | undefined): C {
  client.middlewareStack.use(instrumentation(service, metrics))
  return resolvedOnce(client)
}

/**
 * The SDK clients of one configured account, created on first use and then reused; each client's
 * package is loaded then too (src/aws/sdk), so start-up loads none of them. Credentials are
 * shared by all of them, so an assumed role is assumed once per account, not once per client.
 */
export class AccountClients {
  readonly #config: SdkClientConfig
  readonly #metrics: Metrics | undefined
  readonly #cache = new Map<string, unknown>()

  constructor(name: string, account: AccountConfig, metrics?: Metrics) {
    this.#metrics = metrics
    this.#config = {
      region: account.region,
      credentials: accountCredentials(name, account, instrumentation('STS', metrics)),
      ...(account.endpoint ? { endpoint: account.endpoint } : {}),
      maxAttempts: 3,
      cacheMiddleware: true,
    }
  }

  #get<C extends SdkClient>(service: string, make: (config: SdkClientConfig) => C): C {
    let client = this.#cache.get(service) as C | undefined
    if (!client) {
      // Each client its own handler and so its own sockets (src/aws/request-handler.ts).
      client = instrument(make({ ...this.#config, requestHandler: awsRequestHandler() }), service, this.#metrics)
      this.#cache.set(service, client)
    }
    return client
  }

  get ecs(): ECSClient {
    return this.#get('ECS', (c) => new (ecsPackage().ECSClient)(c))
  }
  get ec2(): EC2Client {
    return this.#get('EC2', (c) => new (ec2Package().EC2Client)(c))
  }
  get iam(): IAMClient {
    return this.#get('IAM', (c) => new (iamPackage().IAMClient)(c))
  }
  get secretsManager(): SecretsManagerClient {
    return this.#get('SecretsManager', (c) => new (secretsManagerPackage().SecretsManagerClient)(c))
  }
  get ssm(): SSMClient {
    return this.#get('SSM', (c) => new (ssmPackage().SSMClient)(c))
  }
  get serviceDiscovery(): ServiceDiscoveryClient {
    return this.#get('ServiceDiscovery', (c) => new (serviceDiscoveryPackage().ServiceDiscoveryClient)(c))
  }
  get logs(): CloudWatchLogsClient {
    return this.#get('CloudWatchLogs', (c) => new (cloudWatchLogsPackage().CloudWatchLogsClient)(c))
  }
  get elbv2(): ElasticLoadBalancingV2Client {
    return this.#get('ELBv2', (c) => new (elbv2Package().ElasticLoadBalancingV2Client)(c))
  }
  get tagging(): ResourceGroupsTaggingAPIClient {
    return this.#get('Tagging', (c) => new (taggingPackage().ResourceGroupsTaggingAPIClient)(c))
  }
  get scheduler(): SchedulerClient {
    return this.#get('Scheduler', (c) => new (schedulerPackage().SchedulerClient)(c))
  }
  get sts(): STSClient {
    return this.#get('STS', (c) => new (stsPackage().STSClient)(c))
  }
  get applicationAutoScaling(): ApplicationAutoScalingClient {
    // Its middleware stack is typed for its own inputs only (none of them an empty object), which the
    // instrumentation's any-input plugin does not match on paper; at run time it is the same stack.
    const make = (c: SdkClientConfig) => new (applicationAutoScalingPackage().ApplicationAutoScalingClient)(c) as unknown as SdkClient
    return this.#get('ApplicationAutoScaling', make) as unknown as ApplicationAutoScalingClient
  }

  /** Closes the sockets of every client created so far. */
  destroy(): void {
    for (const client of this.#cache.values()) (client as { destroy(): void }).destroy()
    this.#cache.clear()
  }
}

/** One configured account as the routes see it. */
export interface Account {
  readonly name: string
  readonly config: AccountConfig
  readonly clients: AccountClients
}

/** All configured accounts; unknown names are answered before any AWS call. */
export class AccountRegistry {
  readonly #accounts = new Map<string, Account>()

  constructor(accounts: ReadonlyMap<string, AccountConfig>, metrics?: Metrics) {
    for (const [name, config] of accounts) {
      this.#accounts.set(name, { name, config, clients: new AccountClients(name, config, metrics) })
    }
  }

  get(name: string): Account | undefined {
    return this.#accounts.get(name)
  }

  names(): string[] {
    return [...this.#accounts.keys()]
  }

  destroy(): void {
    for (const account of this.#accounts.values()) account.clients.destroy()
  }
}
