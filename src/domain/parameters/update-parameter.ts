import { addParameterTags, putParameter, type PutParameterCommandInput } from '../../aws/ssm.js'
import { InputError } from '../../core/errors.js'
import { withoutOrgTags } from '../../core/tags.js'
import { decode } from '../../codec/index.js'
import { ParameterBodyShape } from './bodies.js'
import { checkParameterBody } from './parameter-input.js'
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
  // Step 1: tags, which cannot fail on the value; step 2: the value.
  await addParameterTags(scope.ssm, current.fullName, tags)
  if (checked.value !== undefined) await putParameter(scope.ssm, overwriteInput(scope, current, checked, checked.value))
}
