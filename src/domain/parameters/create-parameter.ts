import { putParameter } from '../../aws/ssm.js'
import { ConflictError, InputError } from '../../core/errors.js'
import { MAX_TAGS, orgTags, type Tag } from '../../core/tags.js'
import { checkNewName, fullParameterName } from '../../core/parameter-names.js'
import { decode } from '../../codec/index.js'
import { ParameterBodyShape } from './bodies.js'
import { checkParameterBody } from '../../aws/parameter-rules.js'
import type { ParameterScope } from './org-parameters.js'

/** The tags of a new parameter: `spinup:org=<org>` first, then the client's other tags. */
function newParameterTags(clientTags: readonly Tag[], org: string): Tag[] {
  const tags = orgTags(clientTags, org)
  if (tags.length > MAX_TAGS) throw new InputError(`Tags: at most ${MAX_TAGS - 1} tags besides the org tag are allowed`)
  return tags
}

/**
 * Creates `/<org>/<prefix>/<Name>`. A create never overwrites (the client's `Overwrite` is ignored):
 * an existing name is a 409. Default type SecureString, encrypted with the account's default key.
 */
export async function createParameter(scope: ParameterScope, prefix: string, input: unknown): Promise<void> {
  const body = decode(ParameterBodyShape, input).value
  const name = checkNewName(body.Name)
  const fullName = fullParameterName(scope.org, prefix, name, scope.region)
  const checked = checkParameterBody(body)
  if (checked.value === undefined) throw new InputError('Value is required')
  const type = checked.type ?? 'SecureString'
  const keyId = checked.passThrough.KeyId ?? (type === 'SecureString' ? scope.defaultKmsKeyId : undefined)
  try {
    await putParameter(scope.ssm, {
      ...checked.passThrough,
      Name: fullName,
      Value: checked.value,
      Type: type,
      ...(keyId !== undefined ? { KeyId: keyId } : {}),
      ...(checked.tier !== undefined ? { Tier: checked.tier } : {}),
      Tags: newParameterTags(checked.tags, scope.org),
      Overwrite: false,
    })
    scope.made?.remember(fullName, true)
  } catch (err) {
    if (err instanceof ConflictError) throw new ConflictError(`parameter ${prefix}/${name} already exists`)
    throw err
  }
}
