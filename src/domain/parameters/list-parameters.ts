import { relativeName, prefixPath } from '../../core/parameter-names.js'
import { orgParametersUnder, type ParameterScope } from './org-parameters.js'

/** Names of the org's parameters under a prefix, relative to it (nested ones keep their inner slashes). */
export async function listParameterNames(scope: ParameterScope, prefix: string): Promise<string[]> {
  const path = prefixPath(scope.org, prefix)
  const found = await orgParametersUnder(scope, path)
  return found.map((p) => relativeName(p.Name ?? '', path)).filter((n): n is string => n !== undefined)
}
