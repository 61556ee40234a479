import { getParameterArn } from '../../aws/ssm.js'
import type { Tag } from '../../core/tags.js'
import { goTimeString } from '../../codec/go-time.js'
import { findOrgParameter, type ParameterScope } from './org-parameters.js'

/** A parameter's metadata as the original service answered it; never its value. */
export interface ParameterView {
  ARN: string | null
  /** The name relative to the prefix, as given in the path. */
  Name: string
  Description: string | null
  KeyId: string | null
  Type: string | null
  Tags: Tag[]
  /** Go's time format, e.g. `2019-10-09 15:43:44 +0000 UTC`. */
  LastModifiedDate: string | null
  Version: number | null
}

export async function showParameter(scope: ParameterScope, prefix: string, param: string): Promise<ParameterView> {
  const { fullName, metadata, tags } = await findOrgParameter(scope, prefix, param)
  // DescribeParameters carries the ARN on AWS; only where it does not is GetParameter asked for it.
  const arn = metadata.ARN ?? (await getParameterArn(scope.ssm, fullName))
  // Member order is the original's, which clients may print as is.
  return {
    ARN: arn ?? null,
    Name: param,
    Description: metadata.Description ?? null,
    KeyId: metadata.KeyId ?? null,
    Type: metadata.Type ?? null,
    Tags: tags,
    LastModifiedDate: metadata.LastModifiedDate ? goTimeString(metadata.LastModifiedDate) : null,
    Version: metadata.Version ?? null,
  }
}
