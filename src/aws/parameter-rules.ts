import type { ParameterTier, ParameterType, PutParameterCommandInput } from './ssm.js'
import { InputError } from '../core/errors.js'
import { checkTags, MAX_TAGS, type DecodedTag, type Tag } from '../core/tags.js'

/** A create or update body, as the codec decodes it from PutParameterInput (keys in any case). */
export type ParameterBody = Omit<PutParameterCommandInput, 'Tags' | 'Name' | 'Value'> & {
  Name?: string | undefined
  Value?: string | undefined
  Tags?: DecodedTag[] | undefined
}

const TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString']
const TIERS: readonly ParameterTier[] = ['Standard', 'Advanced', 'Intelligent-Tiering']
/** SSM's value limits: 4 KB for standard parameters, 8 KB for advanced ones. */
const STANDARD_VALUE_BYTES = 4096
const ADVANCED_VALUE_BYTES = 8192

/** The body's fields, checked; `Value` is never echoed in a message. */
export interface CheckedParameterBody {
  readonly value: string | undefined
  readonly type: ParameterType | undefined
  readonly tier: ParameterTier | undefined
  readonly tags: Tag[]
  /** Members passed to PutParameter as given. */
  readonly passThrough: Pick<PutParameterCommandInput, 'Description' | 'KeyId' | 'AllowedPattern' | 'Policies' | 'DataType'>
}

function oneOf<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${field} must be one of ${allowed.join(', ')} (got "${value}")`)
  }
  return value as T
}

/** Checks a create or update body against SSM's rules before any call; the Value is never echoed. */
export function checkParameterBody(body: ParameterBody): CheckedParameterBody {
  const type = oneOf('Type', body.Type, TYPES)
  const tier = oneOf('Tier', body.Tier, TIERS)
  const value = body.Value === '' ? undefined : body.Value
  if (value !== undefined) {
    // An unset tier may be the account's default Advanced tier, so only the larger limit applies then.
    const limit = tier === 'Standard' ? STANDARD_VALUE_BYTES : ADVANCED_VALUE_BYTES
    const bytes = Buffer.byteLength(value, 'utf8')
    if (bytes > limit) throw new InputError(`Value is ${bytes} bytes; SSM allows at most ${limit} for this tier`)
  }
  if (body.KeyId !== undefined && type !== undefined && type !== 'SecureString') {
    throw new InputError('KeyId is only allowed with Type SecureString')
  }
  const passThrough = {
    ...(body.Description !== undefined ? { Description: body.Description } : {}),
    ...(body.KeyId !== undefined ? { KeyId: body.KeyId } : {}),
    ...(body.AllowedPattern !== undefined ? { AllowedPattern: body.AllowedPattern } : {}),
    ...(body.Policies !== undefined ? { Policies: body.Policies } : {}),
    ...(body.DataType !== undefined ? { DataType: body.DataType } : {}),
  }
  return { value, type, tier, tags: checkTags(body.Tags, { field: 'Tags', max: MAX_TAGS }), passThrough }
}
