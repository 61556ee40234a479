import { describe, expect, it } from 'vitest'
import { translateAwsError } from '../../src/aws/translate-error.js'
import { DomainError } from '../../src/core/errors.js'

function awsError(name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') {
  return Object.assign(new Error(`${name} happened`), { name, $fault: fault, $metadata: { httpStatusCode: status } })
}

describe('translateAwsError', () => {
  it.each([
    ['ClusterNotFoundException', 400, 404, 'NotFound'],
    ['ServiceNotFoundException', 400, 404, 'NotFound'],
    ['NoSuchEntity', 404, 404, 'NotFound'],
    ['ParameterNotFound', 400, 404, 'NotFound'],
    ['ResourceNotFoundException', 400, 404, 'NotFound'],
    ['LoadBalancerNotFound', 400, 404, 'NotFound'],
    ['ResourceExistsException', 400, 409, 'Conflict'],
    ['ParameterAlreadyExists', 400, 409, 'Conflict'],
    ['EntityAlreadyExists', 409, 409, 'Conflict'],
    ['DeleteConflict', 409, 409, 'Conflict'],
    ['ClusterContainsServicesException', 400, 409, 'Conflict'],
    ['AccessDeniedException', 400, 403, 'Forbidden'],
    ['ThrottlingException', 400, 429, 'LimitExceeded'],
    ['LimitExceededException', 400, 429, 'LimitExceeded'],
    ['ParameterLimitExceeded', 400, 429, 'LimitExceeded'],
    ['TooManyTargetGroups', 400, 429, 'LimitExceeded'],
    ['ServerException', 500, 502, 'BadGateway'],
    ['InternalServiceError', 500, 502, 'BadGateway'],
    ['ServiceUnavailableException', 503, 503, 'ServiceUnavailable'],
    ['InvalidParameterException', 400, 400, 'BadRequest'],
    ['ClientException', 400, 400, 'BadRequest'],
    ['ValidationException', 400, 400, 'BadRequest'],
  ])('%s (HTTP %i) becomes %i', (name, awsStatus, status, code) => {
    const translated = translateAwsError(awsError(name, awsStatus), 'ECS', 'DescribeClusters')
    expect(translated).toBeInstanceOf(DomainError)
    const err = translated as DomainError
    expect(err.status).toBe(status)
    expect(err.code).toBe(code)
    expect(err.message).toBe(`ECS.DescribeClusters: ${name}: ${name} happened`)
    expect(err.details?.awsCode).toBe(name)
  })

  it('gives throttling a Retry-After', () => {
    expect((translateAwsError(awsError('ThrottlingException', 400), 'SSM', 'GetParameter') as DomainError).retryAfter).toBe(1)
  })

  it('treats network failures and timeouts as 503', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' })
    for (const e of [refused, timeout]) expect((translateAwsError(e, 'ECS', 'ListClusters') as DomainError).status).toBe(503)
  })

  it('treats an unreadable 5xx answer as 502', () => {
    const e = Object.assign(new SyntaxError('Unexpected token < in JSON'), {})
    expect((translateAwsError(e, 'ECS', 'RunTask') as DomainError).status).toBe(502)
  })

  it("treats an answer the SDK could not parse as 502 naming the call and status, never the parser's message", () => {
    // What the SDK throws for an HTML error page: a SyntaxError carrying $metadata and a hint.
    const sdk = (status: number) =>
      Object.assign(
        new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
        { $metadata: { httpStatusCode: status } },
      )
    const err = translateAwsError(sdk(500), 'ECS', 'RunTask') as DomainError
    expect([err.status, err.code, err.message]).toEqual([502, 'BadGateway', 'ECS.RunTask: unreadable answer from AWS (HTTP 500)'])
    expect(err.details).toBeUndefined()
    expect((translateAwsError(sdk(503), 'ECS', 'RunTask') as DomainError).status).toBe(503)
  })

  it('leaves our own errors alone', () => {
    const bug = new TypeError('x is undefined')
    expect(translateAwsError(bug, 'ECS', 'ListClusters')).toBe(bug)
  })
})
