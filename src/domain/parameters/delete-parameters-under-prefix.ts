import { DELETE_BATCH_SIZE, deleteParameters } from '../../aws/ssm.js'
import { chunk, mapWithConcurrency } from '../../core/concurrency.js'
import { DomainError } from '../../core/errors.js'
import { prefixPath } from '../../core/parameter-names.js'
import { orgParametersUnder, type ParameterScope } from './org-parameters.js'

/** DeleteParameters calls in flight at once: SSM throttles per account. */
const DELETE_CONCURRENCY = 4
/** How many failed names an error answer lists in full. */
const MAX_FAILED_LISTED = 100

export interface DeletedUnderPrefix {
  Message: 'OK'
  Deleted: number
}

/**
 * Deletes every parameter of the org under a prefix, ten per DeleteParameters call. When some calls
 * fail, the answer is an error (the status of the first failure) that says how many were deleted and
 * which names were not.
 */
export async function deleteParametersUnderPrefix(scope: ParameterScope, prefix: string): Promise<DeletedUnderPrefix> {
  const path = prefixPath(scope.org, prefix)
  const names = (await orgParametersUnder(scope, path)).map((p) => p.Name ?? '')
  let deleted = 0
  const failed: { Name: string; Error: string }[] = []
  let firstError: unknown
  await mapWithConcurrency(
    chunk(names, DELETE_BATCH_SIZE),
    async (batch) => {
      try {
        // Names SSM no longer finds were deleted meanwhile: gone, as asked, but not counted.
        const { deleted: done } = await deleteParameters(scope.ssm, batch)
        // Added after the await: `deleted += await ...` would read the count before other batches finish.
        deleted += done.length
      } catch (err) {
        firstError ??= err
        const reason = err instanceof Error ? err.message : 'unknown error'
        for (const name of batch) failed.push({ Name: name, Error: reason })
      }
    },
    DELETE_CONCURRENCY,
  )
  if (failed.length === 0) return { Message: 'OK', Deleted: deleted }
  const cause = firstError instanceof DomainError ? firstError : undefined
  throw new DomainError(
    cause?.code ?? 'BadGateway',
    `deleted ${deleted} of ${names.length} parameters under ${prefix}; ${failed.length} could not be deleted`,
    {
      details: { Deleted: deleted, Failed: failed.slice(0, MAX_FAILED_LISTED) },
      ...(cause?.retryAfter !== undefined ? { retryAfter: cause.retryAfter } : {}),
    },
  )
}
