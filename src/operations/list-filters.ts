/** Query parameters of the operation list, checked and normalised; bad ones are 400s naming the fix. */
import { InputError } from '../core/errors.js'
import { isOperationId, OPERATION_STATUSES, type OperationStatus } from './record.js'

/** `?status=a&status=b` and `?status=a,b` alike. */
export function parseStatuses(values: readonly string[] | undefined): OperationStatus[] | undefined {
  if (!values) return undefined
  const statuses = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '')
  for (const status of statuses) {
    if (!(OPERATION_STATUSES as readonly string[]).includes(status)) {
      throw new InputError(`status "${status}" is not one of: ${OPERATION_STATUSES.join(', ')}`)
    }
  }
  return statuses.length > 0 ? [...new Set(statuses as OperationStatus[])] : undefined
}

const segmentNames: Record<string, string> = {
  clusters: 'clusters',
  cluster: 'clusters',
  services: 'services',
  service: 'services',
  taskdefs: 'taskdefs',
  taskdef: 'taskdefs',
}

/** A target filter in the stored path form; the API's singular spellings work too. */
export function parseTargetFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const parts = value.split('/').filter((p) => p !== '')
  const form = 'target must look like clusters/{cluster}, clusters/{cluster}/services/{service} or clusters/{cluster}/taskdefs/{taskdef}'
  if (parts.length === 0 || parts.length % 2 !== 0) throw new InputError(`${form}; got "${value}"`)
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return encodeURIComponent(part)
      const name = segmentNames[part.toLowerCase()]
      if (!name) throw new InputError(`${form}; "${part}" is not a target segment`)
      return name
    })
    .join('/')
}

export function parseCursor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!isOperationId(value)) throw new InputError('cursor is not one this API returned (use nextCursor from the previous page)')
  return value
}
