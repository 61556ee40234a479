import { deleteParameter as deleteSsmParameter } from '../../aws/ssm.js'
import { NotFoundError } from '../../core/errors.js'
import { requireOrgParameterName, type ParameterScope } from './org-parameters.js'

/** Deletes one parameter of the org; a missing one, or another org's, is a 404. */
export async function deleteParameter(scope: ParameterScope, prefix: string, param: string): Promise<void> {
  const fullName = await requireOrgParameterName(scope, prefix, param)
  try {
    await deleteSsmParameter(scope.ssm, fullName)
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`parameter ${prefix}/${param} not found`)
    throw err
  }
}
