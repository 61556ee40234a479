import type { RunTaskCommandInput } from '@aws-sdk/client-ecs'
import { RunTaskRequest$ } from '../../aws/sdk/ecs.js'
import { sdkShape } from '../../codec/index.js'

/** POST .../taskdefs/{taskdef}/tasks: an ECS RunTask input; cluster, task definition and networking are ours. */
export const RunTaskBody = sdkShape<RunTaskCommandInput>(RunTaskRequest$)
