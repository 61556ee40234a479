import { deleteParameter as deleteSsmParameter } from '../../aws/ssm.js'
import { NotFoundError } from '../../core/errors.js'
import { fullParameterName } from '../../core/parameter-names.js'
import { requireOrgParameterName, type ParameterScope } from './org-parameters.js'

/**
 * Deletes one parameter of the org; a missing one, or another org's, is a 404.
 *
 * One this process created lately is deleted without reading its tags first. Isolation: its name
 * lies under `/<org>/`, where this API never puts another org's parameter (another org's replicas
 * write under their own org's path), so a parameter of that name is the org's unless it was
 * recreated with another org's tag outside this API, which goes unseen for at most the TTL of
 * `orgCacheSeconds`. One deleted since answers ParameterNotFound: the same 404.
 */
export async function deleteParameter(scope: ParameterScope, prefix: string, param: string): Promise<void> {
  const name = fullParameterName(scope.org, prefix, param, scope.region)
  const madeHere = scope.made?.get(name) === true
  scope.made?.forget(name)
  const fullName = madeHere ? name : await requireOrgParameterName(scope, prefix, param)
  try {
    await deleteSsmParameter(scope.ssm, fullName)
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`parameter ${prefix}/${param} not found`)
    throw err
  }
}
