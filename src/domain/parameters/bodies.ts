import { PutParameterRequest$ } from '../../aws/sdk/ssm.js'
import { sdkShape } from '../../codec/index.js'
import type { ParameterBody } from '../../aws/parameter-rules.js'

export const ParameterBodyShape = sdkShape<ParameterBody>(PutParameterRequest$)
