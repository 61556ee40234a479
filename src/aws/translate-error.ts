import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InputError,
  NotFoundError,
  ThrottledError,
  UpstreamError,
} from '../core/errors.js'

/**
 * AWS errors become domain errors here and nowhere else. Lookup is by error name (the AWS error
 * code), across the services we call; the HTTP status AWS sent is the fallback.
 */

const notFound = new Set([
  // ECS
  'ClusterNotFoundException', 'ResourceNotFoundException', 'ServiceNotFoundException', 'TargetNotFoundException',
  'TaskSetNotFoundException',
  // IAM
  'NoSuchEntity', 'NoSuchEntityException',
  // SSM
  'ParameterNotFound', 'ParameterVersionNotFound', 'DoesNotExistException',
  // Cloud Map
  'NamespaceNotFound', 'ServiceNotFound', 'InstanceNotFound', 'OperationNotFound', 'CustomHealthNotFound',
  // ELBv2
  'ListenerNotFound', 'ListenerNotFoundException', 'LoadBalancerNotFound', 'LoadBalancerNotFoundException',
  'RuleNotFound', 'RuleNotFoundException', 'TargetGroupNotFound', 'TargetGroupNotFoundException',
  'SSLPolicyNotFound', 'SubnetNotFound', 'AllocationIdNotFound',
  // Application Auto Scaling
  'ObjectNotFoundException',
])

const conflict = new Set([
  'UpdateInProgressException', 'ClusterContainsContainerInstancesException', 'ClusterContainsServicesException',
  'ClusterContainsTasksException', 'ResourceInUseException', 'ResourceInUse',
  'ConcurrentModification', 'ConcurrentModificationException', 'DeleteConflict', 'DeleteConflictException',
  'EntityAlreadyExists', 'EntityAlreadyExistsException',
  'ResourceAlreadyExistsException', 'DataAlreadyAcceptedException', 'OperationAbortedException',
  'ResourceExistsException',
  'ParameterAlreadyExists', 'AlreadyExistsException',
  'NamespaceAlreadyExists', 'ServiceAlreadyExists',
  'DuplicateListener', 'DuplicateListenerException', 'DuplicateLoadBalancerName', 'DuplicateLoadBalancerNameException',
  'DuplicateTagKeys', 'DuplicateTagKeysException', 'DuplicateTargetGroupName', 'DuplicateTargetGroupNameException',
  'PriorityInUse', 'PriorityInUseException',
  // Application Auto Scaling
  'ConcurrentUpdateException',
])

const forbidden = new Set([
  'AccessDeniedException', 'AccessDenied', 'BlockedException', 'UnrecognizedClientException',
  'OperationNotPermitted', 'OperationNotPermittedException', 'UnauthorizedOperation', 'InvalidClientTokenId',
  'ExpiredToken', 'ExpiredTokenException', 'SignatureDoesNotMatch',
])

const throttled = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'TooManyUpdates', 'TooManyTagsError', 'PriorRequestNotComplete',
])

const unavailable = new Set(['ServiceUnavailable', 'ServiceUnavailableException', 'ServiceFailure'])

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])

interface AwsLikeError {
  name?: string
  message?: string
  code?: string
  $fault?: 'client' | 'server'
  $metadata?: { httpStatusCode?: number }
  $response?: unknown
}

function isAwsLike(err: Error): boolean {
  return '$metadata' in err || '$fault' in err
}

/** True for errors that came out of the network layer rather than from AWS. */
function isNetworkError(err: Error & AwsLikeError): boolean {
  return (
    err.name === 'TimeoutError' ||
    err.name === 'RequestTimeout' ||
    err.name === 'AbortError' ||
    (err.code !== undefined && networkCodes.has(err.code))
  )
}

/**
 * The AWS error code of a translated error, when it came from AWS: adapters use it to tell, say,
 * ResourceExistsException from another conflict.
 */
export function awsCodeOf(err: unknown): string | undefined {
  return err instanceof DomainError ? (err.details?.awsCode as string | undefined) : undefined
}

export function translateAwsError(err: unknown, service: string, operation: string): unknown {
  if (err instanceof DomainError || !(err instanceof Error)) return err
  const e = err as Error & AwsLikeError
  const where = `${service}.${operation}`
  // The SDK attaches $metadata to network failures too, so they are recognised first.
  if (isNetworkError(e)) {
    return new UpstreamError(`${where}: AWS did not answer (${e.code ?? e.name})`, { cause: e, unavailable: true })
  }
  // Deserialization failures: an AWS (or emulator) answer whose body is not AWS's format, such as an
  // HTML error page. The SDK attaches $metadata to these too, so they are recognised before AWS
  // errors; the parser's message ("Unexpected token '<'...") means nothing to a client.
  if (e.name === 'SyntaxError' || /Deserialization error/i.test(e.message)) {
    const status = e.$metadata?.httpStatusCode
    return new UpstreamError(`${where}: unreadable answer from AWS${status === undefined ? '' : ` (HTTP ${status})`}`, {
      cause: e,
      unavailable: status === 503,
    })
  }
  if (!isAwsLike(e)) return err
  const name = e.name
  const message = `${where}: ${name}: ${e.message || 'no message'}`
  const details = { awsCode: name }
  const status = e.$metadata?.httpStatusCode
  if (notFound.has(name)) return new NotFoundError(message, { cause: e, details })
  if (conflict.has(name)) return new ConflictError(message, { cause: e, details })
  if (forbidden.has(name)) return new ForbiddenError(message, { cause: e, details })
  if (throttled.has(name) || /LimitExceeded|^TooMany|LimitExceeded$/.test(name) || status === 429) {
    return new ThrottledError(message, { cause: e, details })
  }
  if (unavailable.has(name) || status === 503) {
    return new UpstreamError(message, { cause: e, details, unavailable: true })
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return new UpstreamError(message, { cause: e, details })
  }
  if (status === 404) return new NotFoundError(message, { cause: e, details })
  if (status === 409) return new ConflictError(message, { cause: e, details })
  // Any other client error carries AWS's own message.
  return new InputError(message, { cause: e, details })
}
