import { InputError } from '../core/errors.js'

/** Registry credentials a caller lends for one image check. Never logged, never cached in clear. */
export interface RegistryCredentials {
  username: string
  password: string
}

const DECODE_FAILED = 'unable to decode registry authentication header'

// One alphabet per value: standard (the original's clients) or URL-safe (what the Docker CLI sends).
const STANDARD_B64 = /^[A-Za-z0-9+/]*={0,2}$/
const URL_SAFE_B64 = /^[A-Za-z0-9_-]*={0,2}$/

function decodeBase64(value: string): Buffer {
  if (!STANDARD_B64.test(value) && !URL_SAFE_B64.test(value)) throw new InputError(`${DECODE_FAILED}: X-Registry-Auth is not base64`)
  const padded = value.includes('=')
  // Padding, when present, must be exact; without it, a length of 4n+1 cannot come from any bytes.
  if ((padded && value.length % 4 !== 0) || (!padded && value.length % 4 === 1)) {
    throw new InputError(`${DECODE_FAILED}: X-Registry-Auth has a malformed base64 length or padding`)
  }
  return Buffer.from(value, 'base64')
}

/** The value of the key matching `name` case-insensitively (as Go's decoder matched the original's). */
function field(obj: Record<string, unknown>, name: string): string | undefined {
  const keys = Object.keys(obj).filter((k) => k.toLowerCase() === name)
  if (keys.length > 1) throw new InputError(`${DECODE_FAILED}: X-Registry-Auth names "${name}" more than once`)
  const value = keys.length === 1 ? obj[keys[0]!] : undefined
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new InputError(`${DECODE_FAILED}: X-Registry-Auth "${name}" must be a string`)
  return value
}

/**
 * Decodes `X-Registry-Auth`: base64 of JSON `{"username": "...", "password": "..."}`, keys in any
 * case, other keys (Docker's `serveraddress`, `email`) ignored. No header, or no username and no
 * password, means an anonymous check. Error messages never echo the header's content.
 */
export function parseRegistryAuth(header: string | undefined): RegistryCredentials | undefined {
  const value = header?.trim() ?? ''
  if (value === '') return undefined
  let json: unknown
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64(value))
    json = JSON.parse(text)
  } catch (err) {
    if (err instanceof InputError) throw err
    throw new InputError(`${DECODE_FAILED}: X-Registry-Auth does not decode to UTF-8 JSON`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(`${DECODE_FAILED}: X-Registry-Auth must be a JSON object {"username","password"}`)
  }
  const username = field(json as Record<string, unknown>, 'username') ?? ''
  const password = field(json as Record<string, unknown>, 'password') ?? ''
  if (username === '' && password === '') return undefined
  if (username === '') throw new InputError(`${DECODE_FAILED}: X-Registry-Auth has a password but no username`)
  // HTTP Basic (RFC 7617) cannot carry a user-id containing ':' or control characters.
  if (/[:\p{Cc}]/u.test(username)) throw new InputError(`${DECODE_FAILED}: X-Registry-Auth username must not contain ":" or control characters`)
  return { username, password }
}

/** The `Authorization` value for HTTP Basic with these credentials. */
export function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
}
