/**
 * `Idempotency-Key` on every POST (the IETF httpapi draft). The first request with a key claims it
 * in the operation store and runs; its answer is kept for the configured time, and a retry with the
 * same key and the same request gets that answer again, marked `Idempotent-Replayed: true`, without
 * running anything. The same key with another request is a 422; while the first still runs, a 409
 * with `Retry-After`.
 *
 * Keys are per token (two callers never share one), and the fingerprint is the method, the path
 * with its query, the body as canonical JSON and the token. Answers of 5xx are not kept: the change
 * may or may not have happened, and a retry should run (AWS client tokens derived from the key keep
 * a retried create from making a second service or task). Streams are not kept either.
 *
 * A route opts out with `config: { idempotency: false }`.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ConflictError, fieldError, UnprocessableError } from '../core/errors.js'
import { RUNNING_CLAIM_TTL_MS, type KeptAnswer } from '../operations/kept-answers.js'
import { canonicalJson } from './canonical-json.js'
import { documentHeaders, routeHasMethod } from './openapi-headers.js'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'
const MAX_KEY_LENGTH = 255
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/
/** Headers of the first answer a replay repeats (not the request id, which is the replay's own). */
const KEPT_HEADERS = ['content-type', 'location', 'x-flywheel-task', 'x-deployment-id', 'etag', 'preference-applied', 'retry-after']

interface IdempotentRequest {
  storeKey: string
  fingerprint: string
  /** For AWS calls that take a client token (CreateService: 36 characters at most, RunTask: 64). */
  clientToken: string
  settled: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while a request with an `Idempotency-Key` holds its key. */
    idempotency: IdempotentRequest | undefined
  }
  interface FastifyContextConfig {
    /** false: this POST ignores `Idempotency-Key`. */
    idempotency?: boolean
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** The header's value, checked: one value, 1 to 255 characters, no control characters. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key']
  if (raw === undefined) return undefined
  if (Array.isArray(raw)) throw fieldError(IDEMPOTENCY_HEADER, `${IDEMPOTENCY_HEADER} must be given once`)
  if (raw.length === 0 || raw.length > MAX_KEY_LENGTH) {
    throw fieldError(IDEMPOTENCY_HEADER, `${IDEMPOTENCY_HEADER} must be 1 to ${MAX_KEY_LENGTH} characters (got ${raw.length})`)
  }
  if (CONTROL_CHARACTERS.test(raw)) throw fieldError(IDEMPOTENCY_HEADER, `${IDEMPOTENCY_HEADER} may not contain control characters`)
  return raw
}

function keptAnswer(reply: FastifyReply, payload: string | Buffer): KeptAnswer {
  const headers: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) headers[name] = String(value)
  }
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  return { status: reply.statusCode, headers, body: body.toString('base64') }
}

export const idempotencyPlugin = fp(
  (app: FastifyInstance, options: { ttlMs: number }) => {
    app.decorateRequest('idempotency', undefined)
    app.addHook('onRoute', (route) => {
      if (!routeHasMethod(route, 'POST') || (route.config)?.idempotency === false) return
      documentHeaders(route, {
        request: {
          [IDEMPOTENCY_HEADER]: `up to ${MAX_KEY_LENGTH} characters, no control characters: a retry with the same key and request gets the first answer again (kept ${Math.round(options.ttlMs / 3_600_000)} h) without running it; another request with the key is a 422, one while the first still runs a 409 with Retry-After`,
        },
        response: { 'Idempotent-Replayed': 'true when this is the kept answer of an earlier request with the same Idempotency-Key' },
        problems: [409, 422],
      })
    })

    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || request.routeOptions.config.idempotency === false) return
      const key = idempotencyKeyOf(request)
      if (key === undefined) return
      const caller = request.tokenId ?? '(anonymous)'
      const storeKey = sha256(`${caller}\n${key}`)
      const fingerprint = sha256(canonicalJson([request.method, request.url, caller, request.body ?? null]))
      const claim = await app.operationStore.claimIdempotencyKey(storeKey, fingerprint, RUNNING_CLAIM_TTL_MS)
      if (claim.state !== 'claimed' && claim.fingerprint !== fingerprint) {
        throw new UnprocessableError(`${IDEMPOTENCY_HEADER} was already used with another request (method, path or body)`, {
          details: { field: IDEMPOTENCY_HEADER },
        })
      }
      if (claim.state === 'running') {
        throw new ConflictError(`a request with this ${IDEMPOTENCY_HEADER} is still running; retry later`, {
          retryAfter: 1,
          details: { field: IDEMPOTENCY_HEADER },
        })
      }
      if (claim.state === 'done') {
        const { status, headers, body } = claim.answer
        request.log.info({ status }, 'idempotent replay')
        return reply.code(status).headers(headers).header('Idempotent-Replayed', 'true').send(Buffer.from(body, 'base64'))
      }
      request.idempotency = { storeKey, fingerprint, clientToken: sha256(`client-token\n${storeKey}`).slice(0, 32), settled: false }
      return undefined
    })

    app.addHook('onSend', async (request, reply, payload) => {
      const held = request.idempotency
      if (!held || held.settled) return payload
      held.settled = true
      const keep = reply.statusCode < 500 && (typeof payload === 'string' || Buffer.isBuffer(payload) || payload == null)
      try {
        if (keep) await app.operationStore.keepAnswer(held.storeKey, held.fingerprint, keptAnswer(reply, (payload as string | Buffer | null) ?? ''), options.ttlMs)
        else await app.operationStore.releaseIdempotencyKey(held.storeKey, held.fingerprint)
      } catch (err) {
        request.log.warn({ err: { message: (err as Error).message } }, 'idempotency key: answer not kept')
        // Not left claimed: a retry runs again rather than waiting for the claim to lapse.
        await app.operationStore.releaseIdempotencyKey(held.storeKey, held.fingerprint).catch(() => undefined)
      }
      return payload
    })

    // A request that ended without its answer passing onSend gives its key up. A client that went
    // away does not: the handler still runs, and a retry meanwhile must wait for it (409), not run again.
    app.addHook('onResponse', async (request) => {
      const held = request.idempotency
      if (!held || held.settled) return
      held.settled = true
      await app.operationStore.releaseIdempotencyKey(held.storeKey, held.fingerprint).catch(() => undefined)
    })
  },
  { name: 'idempotency', dependencies: ['operations', 'auth'] },
)
