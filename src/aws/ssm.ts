/**
 * The SSM Parameter Store calls this service makes. Parameter values go in (put) but never come
 * out: listings use DescribeParameters (metadata only) and the one GetParameter call returns only the
 * ARN. Errors arrive already translated to domain errors; a put redacts its value from them.
 */
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  paginateDescribeParameters,
} from './sdk/ssm.js'
import type {
  ParameterMetadata,
  ParameterStringFilter,
  ParameterTier,
  ParameterType,
  PutParameterCommandInput,
  SSMClient,
} from '@aws-sdk/client-ssm'
import { InputError, NotFoundError } from '../core/errors.js'
import { withValuesRedacted } from '../core/redact-value.js'
import type { Tag } from '../core/tags.js'
import { awsCodeOf } from './translate-error.js'

export type { ParameterMetadata, ParameterTier, ParameterType, PutParameterCommandInput, SSMClient }

/** DescribeParameters' largest page (moto always pages by 10 whatever is asked). */
const PAGE_SIZE = 50
/** DeleteParameters takes at most this many names per call. */
export const DELETE_BATCH_SIZE = 10

/**
 * Limit errors that are the request's fault, not throttling: a 400 without Retry-After. (The shared
 * translation treats every `*LimitExceeded*` and `TooMany*` code as throttling.)
 */
const requestLimitCodes = new Set(['TooManyTagsError', 'HierarchyLevelLimitExceededException'])

function asRequestLimit(err: unknown, what: string): unknown {
  const code = awsCodeOf(err)
  if (code !== undefined && requestLimitCodes.has(code)) {
    return new InputError(`${what}: ${(err as Error).message}`, { details: { awsCode: code } })
  }
  return err
}

/** Metadata of every parameter at or below `path` (recursive), all pages, narrowed by `filters`. */
export async function describeParametersUnderPath(
  client: SSMClient,
  path: string,
  filters: ParameterStringFilter[] = [],
): Promise<ParameterMetadata[]> {
  const input = {
    MaxResults: PAGE_SIZE,
    ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [path] }, ...filters],
  }
  const found: ParameterMetadata[] = []
  for await (const page of paginateDescribeParameters({ client }, input)) found.push(...(page.Parameters ?? []))
  return found
}

/** Metadata of one parameter by its full name, or undefined when there is none. */
export async function describeParameter(client: SSMClient, name: string): Promise<ParameterMetadata | undefined> {
  const input = { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }
  for await (const page of paginateDescribeParameters({ client }, input)) {
    const match = page.Parameters?.find((p) => p.Name === name)
    if (match) return match
  }
  return undefined
}

/**
 * The parameter's ARN. DescribeParameters does not carry it everywhere, so it comes from
 * GetParameter without decryption; the value in that answer is dropped here and never returned.
 */
export async function getParameterArn(client: SSMClient, name: string): Promise<string | undefined> {
  const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: false }))
  return out.Parameter?.ARN
}

/** Tags of a parameter by full name; a missing parameter is a NotFoundError. */
export async function listParameterTags(client: SSMClient, name: string): Promise<Tag[]> {
  try {
    const out = await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))
    return (out.TagList ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))
  } catch (err) {
    // SSM answers InvalidResourceId, not ParameterNotFound, for a name it does not know.
    if (awsCodeOf(err) === 'InvalidResourceId') throw new NotFoundError(`parameter ${name} not found`)
    throw err
  }
}

/** Creates or (with `Overwrite`) replaces a parameter; an existing name without it is a ConflictError. */
export async function putParameter(client: SSMClient, input: PutParameterCommandInput): Promise<{ version?: number }> {
  try {
    const out = await withValuesRedacted(client.send(new PutParameterCommand(input)), [input.Value])
    return out.Version === undefined ? {} : { version: out.Version }
  } catch (err) {
    throw asRequestLimit(err, `put parameter ${input.Name ?? ''}`)
  }
}

/** Adds tags to a parameter (by full name), overwriting the values of keys it already has. */
export async function addParameterTags(client: SSMClient, name: string, tags: readonly Tag[]): Promise<void> {
  if (tags.length === 0) return
  try {
    await client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: [...tags] }))
  } catch (err) {
    if (awsCodeOf(err) === 'InvalidResourceId') throw new NotFoundError(`parameter ${name} not found`)
    throw asRequestLimit(err, `tag parameter ${name}`)
  }
}

/** Removes tags from a parameter (by full name) by key; keys it does not have are fine. */
export async function removeParameterTags(client: SSMClient, name: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  try {
    await client.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: [...keys] }))
  } catch (err) {
    if (awsCodeOf(err) === 'InvalidResourceId') throw new NotFoundError(`parameter ${name} not found`)
    throw asRequestLimit(err, `untag parameter ${name}`)
  }
}

/** Deletes one parameter by full name; a missing one is a NotFoundError. */
export async function deleteParameter(client: SSMClient, name: string): Promise<void> {
  await client.send(new DeleteParameterCommand({ Name: name }))
}

/**
 * Deletes up to DELETE_BATCH_SIZE parameters in one call. `missing` are names SSM did not find
 * (already gone).
 */
export async function deleteParameters(
  client: SSMClient,
  names: readonly string[],
): Promise<{ deleted: string[]; missing: string[] }> {
  if (names.length > DELETE_BATCH_SIZE) throw new RangeError(`at most ${DELETE_BATCH_SIZE} names per DeleteParameters call`)
  if (names.length === 0) return { deleted: [], missing: [] }
  const out = await client.send(new DeleteParametersCommand({ Names: [...names] }))
  return { deleted: out.DeletedParameters ?? [], missing: out.InvalidParameters ?? [] }
}
