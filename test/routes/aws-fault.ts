/**
 * Makes one AWS operation of one account fail, inside the app's own SDK client, as AWS would answer
 * it: the error passes through the app's error translation like a real one. For failures moto
 * cannot be made to produce; tests that use it say so in their names.
 */
import type { FastifyInstance } from 'fastify'

type ClientName =
  | 'ecs'
  | 'iam'
  | 'logs'
  | 'secretsManager'
  | 'serviceDiscovery'
  | 'ssm'
  | 'scheduler'
  | 'applicationAutoScaling'
  | 'tagging'

interface Stack {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'low'; name: string },
    ): void
  }
}

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, status: number, message = `${name} (injected)`): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } })
}

/**
 * From now on `operation` (e.g. `PutRolePolicy`) of `client` in `account` fails with `error`; with
 * `times`, only that many calls fail and later ones reach AWS; with `skip`, that many calls reach AWS
 * before the first one fails.
 */
export function failAwsCall(
  app: FastifyInstance,
  client: ClientName,
  operation: string,
  error: Error,
  options: { account?: string; times?: number; skip?: number } = {},
): void {
  injectAwsFault(app, client, operation, error, options)
}

/** `failAwsCall` that answers a function ending the fault: later calls reach AWS again. */
export function injectAwsFault(
  app: FastifyInstance,
  client: ClientName,
  operation: string,
  error: Error,
  options: { account?: string; times?: number; skip?: number } = {},
): () => void {
  const clients = app.accounts.get(options.account ?? 'main')?.clients
  if (!clients) throw new Error(`no account ${options.account ?? 'main'}`)
  let left = options.times ?? Infinity
  let passing = options.skip ?? 0
  ;(clients[client] as unknown as Stack).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === `${operation}Command` && passing > 0) {
        passing--
        return next(args)
      }
      if (ctx.commandName === `${operation}Command` && left > 0) {
        left--
        throw error
      }
      return next(args)
    },
    { step: 'initialize', priority: 'low', name: `fail-${operation}-${Math.random()}` },
  )
  return () => {
    left = 0
  }
}

/** Records the input of every `operation` call of `client` in `account` (for what moto does not keep). */
export function captureAwsCalls(app: FastifyInstance, client: ClientName, operation: string, account = 'main'): unknown[] {
  const clients = app.accounts.get(account)?.clients
  if (!clients) throw new Error(`no account ${account}`)
  const seen: unknown[] = []
  ;(clients[client] as unknown as Stack).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName === `${operation}Command`) seen.push((args as { input: unknown }).input)
      return next(args)
    },
    { step: 'initialize', priority: 'low', name: `capture-${operation}-${Math.random()}` },
  )
  return seen
}

/**
 * Resolves once an `operation` call of `client` in `account` has settled (answered or failed): the
 * point after which another call can be made to fail, to stage one order of concurrent steps.
 */
export function awsCallSettled(app: FastifyInstance, client: ClientName, operation: string, account = 'main'): Promise<void> {
  const clients = app.accounts.get(account)?.clients
  if (!clients) throw new Error(`no account ${account}`)
  return new Promise((settled) => {
    ;(clients[client] as unknown as Stack).middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName !== `${operation}Command`) return next(args)
        try {
          return await next(args)
        } finally {
          settled()
        }
      },
      { step: 'initialize', priority: 'low', name: `settled-${operation}-${Math.random()}` },
    )
  })
}

/**
 * Holds every `operation` call of `client` in `account` until `until` resolves, then fails it with
 * `error` (or, without one, lets it reach AWS): a concurrent step's call made to happen after another.
 */
export function holdAwsCall(
  app: FastifyInstance,
  client: ClientName,
  operation: string,
  until: Promise<unknown>,
  error?: Error,
  account = 'main',
): void {
  const clients = app.accounts.get(account)?.clients
  if (!clients) throw new Error(`no account ${account}`)
  ;(clients[client] as unknown as Stack).middlewareStack.add(
    (next, ctx) => async (args) => {
      if (ctx.commandName !== `${operation}Command`) return next(args)
      await until
      if (error) throw error
      return next(args)
    },
    { step: 'initialize', priority: 'low', name: `hold-${operation}-${Math.random()}` },
  )
}

/** One `FailedResourcesMap` entry of the Resource Groups Tagging API. */
export interface TaggingFailure {
  StatusCode: number
  ErrorCode: string
  ErrorMessage: string
}

/**
 * From now on the Resource Groups Tagging API's TagResources of `account` fails for the resources
 * `fails` picks, as AWS reports it: the others are tagged (the call reaches moto without them) and
 * the picked ones come back in `FailedResourcesMap` with `failure`. With `times`, only that many
 * calls that name such a resource are answered so.
 */
export function failTaggedResources(
  app: FastifyInstance,
  fails: (arn: string) => boolean,
  failure: TaggingFailure,
  options: { account?: string; times?: number } = {},
): void {
  const clients = app.accounts.get(options.account ?? 'main')?.clients
  if (!clients) throw new Error(`no account ${options.account ?? 'main'}`)
  let left = options.times ?? Infinity
  ;(clients.tagging as unknown as Stack).middlewareStack.add(
    (next, ctx) => async (args) => {
      const input = (args as { input: { ResourceARNList?: string[] } }).input
      const picked = (input.ResourceARNList ?? []).filter(fails)
      if (ctx.commandName !== 'TagResourcesCommand' || picked.length === 0 || left <= 0) return next(args)
      left--
      const rest = (input.ResourceARNList ?? []).filter((arn) => !fails(arn))
      const out = (rest.length > 0 ? await next({ ...(args as object), input: { ...input, ResourceARNList: rest } }) : { output: { $metadata: {} } }) as {
        output: { FailedResourcesMap?: Record<string, TaggingFailure> }
      }
      return { ...out, output: { ...out.output, FailedResourcesMap: { ...out.output.FailedResourcesMap, ...Object.fromEntries(picked.map((arn) => [arn, failure])) } } }
    },
    { step: 'initialize', priority: 'low', name: `fail-TagResources-${Math.random()}` },
  )
}
