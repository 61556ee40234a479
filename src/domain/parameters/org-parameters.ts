import type { ParameterMetadata, SSMClient } from '../../aws/ssm.js'
import { describeParameter, describeParametersUnderPath, listParameterTags } from '../../aws/ssm.js'
import { mapWithConcurrency } from '../../core/concurrency.js'
import { NotFoundError } from '../../core/errors.js'
import { ORG_TAG, type Tag } from '../../core/tags.js'
import type { MadeHere } from '../../core/made-here.js'
import type { UseCaseContext } from '../use-case-context.js'
import { fullParameterName, relativeName } from '../../core/parameter-names.js'

/** What every parameter use case needs: the account's SSM client, our org, and account defaults. */
export interface ParameterScope {
  readonly ssm: SSMClient
  readonly org: string
  readonly region: string
  /** KMS key of new SecureString parameters; SSM's default key when unset. */
  readonly defaultKmsKeyId?: string | undefined
  /** Full names of the parameters this process created lately (see `deleteParameter`). */
  readonly made?: MadeHere<true> | undefined
}

export function parameterScope(base: UseCaseContext): ParameterScope {
  const { account } = base
  return {
    ssm: account.clients.ssm,
    org: base.org,
    region: account.config.region,
    defaultKmsKeyId: account.config.defaultKmsKeyId,
    made: base.madeHere?.parameters,
  }
}

/** A parameter of the org, found by prefix and relative name. */
export interface OrgParameter {
  readonly fullName: string
  readonly metadata: ParameterMetadata
  readonly tags: Tag[]
}

/**
 * Parameters live under `/<org>/`, which is what scopes them. A parameter there that carries
 * another org's `spinup:org` tag was put there for that org, so it does not exist for this API
 * either; untagged ones (made by other tools) are the org's.
 */
function isForeign(tags: readonly Tag[], org: string): boolean {
  return tags.some((t) => t.Key === ORG_TAG && t.Value !== org)
}

/**
 * Every parameter of the org at or below `path`. Two listings (all, and those tagged with our org)
 * settle most parameters; only the rest, untagged or foreign, need their tags read, one call each.
 */
export async function orgParametersUnder(scope: ParameterScope, path: string): Promise<ParameterMetadata[]> {
  const [all, tagged] = await Promise.all([
    describeParametersUnderPath(scope.ssm, path),
    describeParametersUnderPath(scope.ssm, path, [{ Key: `tag:${ORG_TAG}`, Option: 'Equals', Values: [scope.org] }]),
  ])
  const ours = new Set(tagged.map((p) => p.Name))
  const inPath = all.filter((p) => p.Name !== undefined && relativeName(p.Name, path) !== undefined)
  const unsure = inPath.filter((p) => !ours.has(p.Name))
  const foreign = new Set<string>()
  await mapWithConcurrency(unsure, async (p) => {
    const name = p.Name ?? ''
    try {
      if (isForeign(await listParameterTags(scope.ssm, name), scope.org)) foreign.add(name)
    } catch (err) {
      // Deleted between the listing and now: gone, so not listed.
      if (err instanceof NotFoundError) foreign.add(name)
      else throw err
    }
  })
  return inPath.filter((p) => !foreign.has(p.Name ?? ''))
}

/**
 * One parameter of the org (its metadata, ARN included, and tags, read at once); missing or another
 * org's: NotFoundError.
 */
export async function findOrgParameter(scope: ParameterScope, prefix: string, param: string): Promise<OrgParameter> {
  const fullName = fullParameterName(scope.org, prefix, param, scope.region)
  const notFound = () => new NotFoundError(`parameter ${prefix}/${param} not found`)
  const [metadata, tags] = await Promise.all([
    describeParameter(scope.ssm, fullName),
    listParameterTags(scope.ssm, fullName),
  ]).catch((err: unknown) => {
    throw err instanceof NotFoundError ? notFound() : err
  })
  if (!metadata || isForeign(tags, scope.org)) throw notFound()
  return { fullName, metadata, tags }
}

/**
 * The full name of one parameter of the org, for a use case that needs nothing else (a delete): its
 * tags alone settle both questions, since SSM answers a name it does not know with InvalidResourceId
 * (a NotFoundError) there, so the DescribeParameters of `findOrgParameter` is not needed. Missing or
 * another org's: NotFoundError.
 */
export async function requireOrgParameterName(scope: ParameterScope, prefix: string, param: string): Promise<string> {
  const fullName = fullParameterName(scope.org, prefix, param, scope.region)
  const notFound = () => new NotFoundError(`parameter ${prefix}/${param} not found`)
  const tags = await listParameterTags(scope.ssm, fullName).catch((err: unknown) => {
    throw err instanceof NotFoundError ? notFound() : err
  })
  if (isForeign(tags, scope.org)) throw notFound()
  return fullName
}
