import { InputError } from '../errors.js'
import type { Tag } from '../tags.js'

/**
 * The tag rules Secrets Manager and SSM share (key 1-128 and value 0-256 characters of letters,
 * digits, spaces and `_.:/=+-@`; no `aws:` keys; at most 50 tags). Checked before any AWS call so a
 * bad tag is a 400 naming it, and a request never half-applies.
 */
export const MAX_TAGS = 50
const MAX_KEY_LENGTH = 128
const MAX_VALUE_LENGTH = 256
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

/** A tag as the codec decodes it: AWS declares both members optional. */
export interface DecodedTag {
  Key?: string | undefined
  Value?: string | undefined
}

/** Validates client tags and returns them as complete `{Key, Value}` pairs. */
export function checkTags(tags: readonly DecodedTag[] | undefined, field = 'Tags'): Tag[] {
  if (tags === undefined) return []
  if (tags.length > MAX_TAGS) throw new InputError(`${field} has ${tags.length} tags; at most ${MAX_TAGS} are allowed`)
  const seen = new Set<string>()
  return tags.map((tag, i) => {
    const at = `${field}[${i}]`
    const key = tag.Key
    if (key === undefined || key.length === 0) throw new InputError(`${at}.Key is required`)
    if (key.length > MAX_KEY_LENGTH) throw new InputError(`${at}.Key is longer than ${MAX_KEY_LENGTH} characters`)
    if (!TAG_TEXT.test(key)) throw new InputError(`${at}.Key may only contain letters, digits, spaces and _.:/=+-@`)
    if (key.toLowerCase().startsWith('aws:')) throw new InputError(`${at}.Key: the aws: prefix is reserved for AWS`)
    if (seen.has(key)) throw new InputError(`${at}.Key ${key} is given twice`)
    seen.add(key)
    const value = tag.Value
    if (value === undefined) throw new InputError(`${at}.Value is required`)
    if (value.length > MAX_VALUE_LENGTH) throw new InputError(`${at}.Value is longer than ${MAX_VALUE_LENGTH} characters`)
    if (!TAG_TEXT.test(value)) throw new InputError(`${at}.Value may only contain letters, digits, spaces and _.:/=+-@`)
    return { Key: key, Value: value }
  })
}
