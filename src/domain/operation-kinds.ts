import type { OperationKind } from '../operations/index.js'
import { finishRollbackKind } from './rollback/finish-rollback-operation.js'
import { serviceDeleteKind } from './services/delete-operation.js'
import { taskDefDeleteKind } from './taskdefs/delete-operation.js'
import { deploymentKind } from './deployments/track-operation.js'

/**
 * Every kind of tracked operation the use cases start, registered once when the app is built (a
 * replica must know every kind, whichever route started an operation it resumes).
 */
export const allOperationKinds: readonly OperationKind<never>[] = [serviceDeleteKind, taskDefDeleteKind, finishRollbackKind, deploymentKind]
