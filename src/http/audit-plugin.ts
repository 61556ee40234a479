/**
 * One audit record per change: every POST, PUT and DELETE that reached its handler (an answer
 * replayed for an `Idempotency-Key`, a stale `If-Match` or a refused body changed nothing and
 * leaves none). Written before the answer leaves, so a client that reads the trail next sees it.
 * Records hold names, ARNs, statuses and ids; bodies are never copied (secret and parameter
 * values stay out): the ARNs are picked from the answer's `*Arn` keys only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { collectAwsRequestIds } from '../observability/aws-request-ids.js'
import type { NewAuditRecord } from '../operations/audit-trail.js'

const CHANGES = new Set(['POST', 'PUT', 'DELETE'])
/** Keys of an answer whose values name what the change made or touched. */
const ARN_KEYS = new Set(['servicearn', 'taskdefinitionarn', 'taskarn', 'arn', 'secretarn'])
/** Route templates' parameters by the literal segment before each, computed once per template. */
const segmentsByRoute = new Map<string, Map<string, string | undefined>>()
const MAX_ARNS = 50
const MAX_SCANNED_BODY = 1024 * 1024
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once a change reached its handler: it gets an audit record. */
    audited: boolean
    /** Request ids of the AWS writes the change made. */
    awsRequestIds: string[] | undefined
    /** Ends the collection of `awsRequestIds` (once the record has them, or the request is over). */
    endAwsRequestIds: (() => void) | undefined
  }
}

/** A member of a wrapper body by name, whatever its case (bodies' keys are case-insensitive). */
function member(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const key = Object.keys(value).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : (value as Record<string, unknown>)[key]
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** The space (cluster) of a change: the path's, or the cluster a create body names. */
function spaceOf(params: Record<string, string>, body: unknown): string | undefined {
  return params.cluster ?? text(member(member(body, 'cluster'), 'clustername'))
}

/**
 * Each parameter of a route template with the literal segment before it (`clusters` for `:cluster`
 * in `/clusters/:cluster`, `deployments` for `:id` in `/deployments/:id/abort`); none when another
 * parameter comes first (`:param` in `/params/:prefix/:param`). Taken from the template itself, so
 * a target reads like the path of what it names whatever the parameter is called.
 */
function segmentsOf(route: string): Map<string, string | undefined> {
  let segments = segmentsByRoute.get(route)
  if (segments === undefined) {
    segments = new Map()
    const parts = route.split('/')
    parts.forEach((part, i) => {
      if (!part.startsWith(':')) return
      const before = parts[i - 1]
      segments!.set(part.slice(1), before === undefined || before === '' || before.startsWith(':') ? undefined : before)
    })
    segmentsByRoute.set(route, segments)
  }
  return segments
}

/** The change's target as a path, from the route's parameters, or from a create body's names. */
function targetOf(route: string, params: Record<string, string>, body: unknown): string | undefined {
  const segments = segmentsOf(route)
  const parts: string[] = []
  for (const [name, value] of Object.entries(params)) {
    if (name === 'account') continue
    const segment = segments.get(name)
    if (segment !== undefined) parts.push(segment)
    parts.push(value)
  }
  if (parts.length > 0) return parts.join('/')
  const cluster = text(member(member(body, 'cluster'), 'clustername'))
  const service = text(member(member(body, 'service'), 'servicename'))
  const family = text(member(member(body, 'taskdefinition'), 'family'))
  const secret = text(member(body, 'name'))
  if (cluster !== undefined && service !== undefined) return `clusters/${cluster}/services/${service}`
  if (cluster !== undefined && family !== undefined) return `clusters/${cluster}/taskdefs/${family}`
  if (cluster !== undefined) return `clusters/${cluster}`
  return secret === undefined ? undefined : `secrets/${secret}`
}

/** ARNs under the answer's `*Arn` keys (a few levels deep), and path parameters that are ARNs. */
function arnsOf(params: Record<string, string>, payload: unknown): string[] {
  const found = new Set(Object.values(params).filter((v) => v.startsWith('arn:')))
  const walk = (value: unknown, depth: number): void => {
    if (found.size >= MAX_ARNS || depth > 3 || typeof value !== 'object' || value === null) return
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1)
      return
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && v.startsWith('arn:') && ARN_KEYS.has(key.toLowerCase())) found.add(v)
      else walk(v, depth + 1)
    }
  }
  if ((typeof payload === 'string' || Buffer.isBuffer(payload)) && payload.length <= MAX_SCANNED_BODY) {
    const raw = payload.toString()
    if (raw.startsWith('{') || raw.startsWith('[')) {
      try {
        walk(JSON.parse(raw), 0)
      } catch {
        // not JSON: no ARNs to pick
      }
    }
  }
  return [...found].slice(0, MAX_ARNS)
}

function userOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['x-forwarded-user'] ?? request.headers['x-spinup-user']
  const value = Array.isArray(raw) ? raw[0] : raw
  return value === undefined || value === '' ? undefined : value.replace(CONTROL, '').slice(0, 256)
}

export const auditPlugin = fp(
  (app: FastifyInstance) => {
    app.decorateRequest('audited', false)
    app.decorateRequest('awsRequestIds', undefined)
    app.decorateRequest('endAwsRequestIds', undefined)

    // Registered after the idempotency and If-Match checks: a request they answered never gets here.
    // The handler runs inside the collection of AWS request ids (a callback hook, so `done` starts it).
    app.addHook('preHandler', (request, _reply, done) => {
      if (!CHANGES.has(request.method) || request.routeOptions.url === undefined) return done()
      request.audited = true
      const ids: string[] = []
      request.awsRequestIds = ids
      request.endAwsRequestIds = collectAwsRequestIds(ids, done)
    })

    app.addHook('onSend', async (request, reply, payload) => {
      if (!request.audited) return payload
      request.audited = false
      const params = (request.params ?? {}) as Record<string, string>
      const status = reply.statusCode
      const space = spaceOf(params, request.body)
      const target = targetOf(request.routeOptions.url ?? '', params, request.body)
      const user = userOf(request)
      // A deployment is an operation too: its id names the record it started.
      const operationId = reply.getHeader('x-flywheel-task') ?? reply.getHeader('x-deployment-id')
      const entry: NewAuditRecord = {
        Kind: 'request',
        RequestId: request.id,
        ...(request.tokenId !== undefined ? { TokenId: request.tokenId } : {}),
        ...(user !== undefined ? { User: user } : {}),
        Account: params.account ?? '(none)',
        Org: app.config.org,
        ...(space !== undefined ? { Space: space } : {}),
        Method: request.method,
        Route: request.routeOptions.url ?? '(unmatched)',
        ...(target !== undefined ? { Target: target } : {}),
        TargetArns: status < 400 ? arnsOf(params, payload) : Object.values(params).filter((v) => v.startsWith('arn:')),
        Status: status,
        Outcome: status < 400 ? 'succeeded' : status < 500 ? 'rejected' : 'failed',
        ...(operationId !== undefined ? { OperationId: String(operationId) } : {}),
        ...(request.awsRequestIds?.length ? { AwsRequestIds: [...request.awsRequestIds] } : {}),
      }
      request.endAwsRequestIds?.()
      await app.auditTrail.record(entry)
      return payload
    })

    // A change whose answer never passed onSend (the client went away) ends its collection here.
    app.addHook('onResponse', (request, _reply, done) => {
      request.endAwsRequestIds?.()
      done()
    })
  },
  { name: 'audit', dependencies: ['operations', 'auth'] },
)
