/** RFC 9110 entity tags: making them, and reading `If-Match` / `If-None-Match` lists. */
import { hash } from 'node:crypto'

/**
 * A strong tag of an answer's bytes: equal bytes, equal tag. The one-shot `hash` gives the same
 * digest as a `createHash` object without making one (a third less CPU on a small answer).
 */
export function entityTagOf(body: string | Buffer): string {
  return `"${hash('sha256', body, 'base64url').slice(0, 27)}"`
}

export interface TagList {
  any: boolean
  tags: { weak: boolean; opaque: string }[]
}

const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/

/** `*` or a comma-separated list of entity tags; undefined when malformed. */
export function parseTagList(header: string): TagList | undefined {
  const text = header.trim()
  if (text === '*') return { any: true, tags: [] }
  const tags: TagList['tags'] = []
  for (const part of text.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const m = ENTITY_TAG.exec(item)
    if (!m) return undefined
    tags.push({ weak: m[1] !== undefined, opaque: m[2]! })
  }
  return tags.length > 0 ? { any: false, tags } : undefined
}

/** If-Match: strong comparison (a weak tag never matches). */
export function strongMatch(list: TagList, current: string): boolean {
  return list.any || list.tags.some((t) => !t.weak && t.opaque === current)
}

/** If-None-Match: weak comparison. */
export function weakMatch(list: TagList, current: string): boolean {
  const opaque = current.replace(/^W\//, '')
  return list.any || list.tags.some((t) => t.opaque === opaque)
}
