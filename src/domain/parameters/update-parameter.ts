import { addParameterTags, putParameter, removeParameterTags, type PutParameterCommandInput } from '../../aws/ssm.js'
import { InputError } from '../../core/errors.js'
import { withoutOrgTags } from '../../core/tags.js'
import { updateTagsThenValue } from '../../workflows/tags-then-value.js'
import { decode } from '../../codec/index.js'
import { ParameterBodyShape } from './bodies.js'
import { checkParameterBody } from '../../aws/parameter-rules.js'
import { findOrgParameter, type OrgParameter, type ParameterScope } from './org-parameters.js'

/**
 * The overwrite of a value: type, KMS key, description and tier are kept unless given. (SSM would
 * otherwise re-encrypt a SecureString with its default key.) A parameter turned into a SecureString
 * gets the account's default key.
 */
function overwriteInput(
  scope: ParameterScope,
  current: OrgParameter,
  checked: ReturnType<typeof checkParameterBody>,
  value: string,
): PutParameterCommandInput {
  const was = current.metadata
  const type = checked.type ?? was.Type ?? 'SecureString'
  const keyId =
    type !== 'SecureString'
      ? undefined
      : (checked.passThrough.KeyId ?? (was.Type === 'SecureString' ? was.KeyId : undefined) ?? scope.defaultKmsKeyId)
  const description = checked.passThrough.Description ?? was.Description
  const tier = checked.tier ?? was.Tier
  return {
    ...checked.passThrough,
    Name: current.fullName,
    Value: value,
    Type: type,
    ...(keyId !== undefined ? { KeyId: keyId } : {}),
    ...(description !== undefined ? { Description: description } : {}),
    ...(tier !== undefined ? { Tier: tier } : {}),
    Overwrite: true,
  }
}

/**
 * Sets a new value and/or adds tags (on the full parameter name). Everything is checked before the
 * first change; a missing parameter, or another org's, is a 404.
 */
export async function updateParameter(
  scope: ParameterScope,
  prefix: string,
  param: string,
  input: unknown,
): Promise<void> {
  const { value: body, unknownKeys: ignoredKeys } = decode(ParameterBodyShape, input)
  const checked = checkParameterBody(body)
  const current = await findOrgParameter(scope, prefix, param)
  const tags = withoutOrgTags(checked.tags, scope.org)
  if (checked.value === undefined && tags.length === 0) {
    const ignored = ignoredKeys.length > 0 ? ` (ignored: ${ignoredKeys.join(', ')})` : ''
    throw new InputError(`nothing to update: give a Value and/or Tags${ignored}`)
  }
  // Tags, then the value; a failed value write puts the tags back.
  const { ssm } = scope
  const value = checked.value
  await updateTagsThenValue({
    currentTags: current.tags,
    tags,
    tag: (given) => addParameterTags(ssm, current.fullName, given),
    untag: (keys) => removeParameterTags(ssm, current.fullName, keys),
    writeValue: value === undefined ? undefined : () => putParameter(ssm, overwriteInput(scope, current, checked, value)),
  })
}
