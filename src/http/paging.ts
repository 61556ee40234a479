/**
 * One way to page every list: `limit` (1..1000) and `next` (an opaque token) in the query; a page
 * answers `X-Items` (items in it), `X-Per-Page`, and when more follows `X-Next-Token` and an RFC 8288
 * `Link: <...>; rel="next"`. A token is base64url JSON holding where the next page starts (an offset
 * into the list, or a store cursor), the page size, and a hash of the query it came from (path and
 * every parameter but `limit` and `next`), so a token used with another query is refused.
 */
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { fieldError } from '../core/errors.js'
import { MAX_PAGE_SIZE } from '../schemas/paging.js'
import { canonicalJson } from './canonical-json.js'

export const DEFAULT_PAGE_SIZE = 100

export interface PageRequest {
  limit: number
  /** Where this page starts: an offset into the whole list, or a store's cursor. */
  offset: number
  cursor?: string
  queryHash: string
}

interface Token {
  v: 1
  q: string
  l: number
  o?: number
  c?: string
}

const one = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value)

function queryHashOf(request: FastifyRequest): string {
  const query = Object.fromEntries(
    Object.entries((request.query ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'limit' && k !== 'next'),
  )
  const path = request.url.split('?', 1)[0]!
  return createHash('sha256').update(canonicalJson([path, query])).digest('base64url').slice(0, 16)
}

function parseLimit(raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw fieldError('limit', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, not ${JSON.stringify(raw)}`)
  return n
}

function decodeToken(raw: string): Token | undefined {
  if (raw.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(raw)) return undefined
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Token>
    const validOffset = token.o === undefined || (Number.isSafeInteger(token.o) && token.o >= 0)
    const validCursor = token.c === undefined || typeof token.c === 'string'
    if (token.v !== 1 || typeof token.q !== 'string' || typeof token.l !== 'number' || !validOffset || !validCursor) return undefined
    return token as Token
  } catch {
    return undefined
  }
}

/**
 * The page asked for, or undefined when the query has neither `limit` nor `next` (the whole list).
 * A bad limit, a token that is not ours, or one of another query is a 400 naming the parameter.
 */
export function pageRequestOf(request: FastifyRequest, defaultLimit?: number): PageRequest | undefined
/** `always`: a list that is always paged (`defaultLimit` items when no limit is given). */
export function pageRequestOf(request: FastifyRequest, defaultLimit: number, always: true): PageRequest
export function pageRequestOf(request: FastifyRequest, defaultLimit = DEFAULT_PAGE_SIZE, always = false): PageRequest | undefined {
  const query = (request.query ?? {}) as Record<string, unknown>
  const limit = parseLimit(one(query.limit))
  const next = one(query.next)
  const queryHash = queryHashOf(request)
  if (next === undefined || next === '') {
    if (limit === undefined) return always ? { limit: defaultLimit, offset: 0, queryHash } : undefined
    return { limit, offset: 0, queryHash }
  }
  const token = typeof next === 'string' ? decodeToken(next) : undefined
  if (!token) throw fieldError('next', 'next is not a token this service gave out (use the X-Next-Token of the previous page)')
  if (token.q !== queryHash) throw fieldError('next', 'next belongs to another query: use it with the same path and parameters it came from')
  return { limit: limit ?? (parseLimit(token.l) ?? defaultLimit), offset: token.o ?? 0, ...(token.c !== undefined ? { cursor: token.c } : {}), queryHash }
}

export function nextTokenOf(page: PageRequest, at: { offset: number } | { cursor: string }): string {
  const token: Token = { v: 1, q: page.queryHash, l: page.limit, ...('cursor' in at ? { c: at.cursor } : { o: at.offset }) }
  return Buffer.from(JSON.stringify(token)).toString('base64url')
}

/** Sets the page headers; `next` is the token of the following page when there is one. */
export function setPageHeaders(request: FastifyRequest, reply: FastifyReply, page: PageRequest, items: number, next?: string): void {
  void reply.header('X-Items', String(items)).header('X-Per-Page', String(page.limit))
  if (next === undefined) return
  const [path, search = ''] = request.url.split('?', 2) as [string, string?]
  const params = new URLSearchParams(search)
  params.delete('next')
  params.set('next', next)
  void reply.header('X-Next-Token', next).header('Link', `<${path}?${params.toString()}>; rel="next"`)
}

/** One page of a whole list (offset paging), with its headers set. */
export function pageOfList<T>(request: FastifyRequest, reply: FastifyReply, page: PageRequest, all: readonly T[]): T[] {
  const items = all.slice(page.offset, page.offset + page.limit)
  const end = page.offset + items.length
  setPageHeaders(request, reply, page, items.length, end < all.length ? nextTokenOf(page, { offset: end }) : undefined)
  return items
}
