import { InputError } from '../errors.js'
import type { Tag } from '../tags.js'

/**
 * Client tags end up on ECS, IAM, Secrets Manager and Logs resources; these are the limits all of
 * them share, so a bad tag is a 400 before anything is created rather than a failure halfway.
 */
const MAX_KEY = 128
const MAX_VALUE = 256
/** AWS allows 50 tags per resource; four of them are ours (org, space, type, flavor). */
export const MAX_CLIENT_TAGS = 46
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

export function validateClientTags(tags: readonly Tag[] | undefined, path: string): void {
  if (!tags) return
  if (tags.length > MAX_CLIENT_TAGS) throw new InputError(`${path} holds ${tags.length} tags; at most ${MAX_CLIENT_TAGS} are allowed`)
  const keys = new Set<string>()
  tags.forEach((tag, i) => {
    const where = `${path}[${i}]`
    if (typeof tag.Key !== 'string' || tag.Key.length === 0 || tag.Key.length > MAX_KEY) {
      throw new InputError(`${where}.Key must be 1 to ${MAX_KEY} characters`)
    }
    if (typeof tag.Value !== 'string' || tag.Value.length > MAX_VALUE) {
      throw new InputError(`${where}.Value must be a string of at most ${MAX_VALUE} characters`)
    }
    if (!ALLOWED.test(tag.Key) || !ALLOWED.test(tag.Value)) {
      throw new InputError(`${where} may only hold letters, digits, spaces and _.:/=+-@`)
    }
    if (tag.Key.toLowerCase().startsWith('aws:')) throw new InputError(`${where}.Key: the aws: prefix is reserved`)
    if (keys.has(tag.Key)) throw new InputError(`${where}.Key ${tag.Key} is given twice`)
    keys.add(tag.Key)
  })
}
