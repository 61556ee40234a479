import { describe, expect, it } from 'vitest'
import { DomainError, NotFoundError } from '../../src/core/errors.js'
import { toProblem } from '../../src/http/problem.js'

describe('toProblem', () => {
  it('keeps a client error its message and details', () => {
    const { problem } = toProblem(new NotFoundError('secret x not found', { details: { awsCode: 'ResourceNotFoundException' } }), 'r1')
    expect(problem).toMatchObject({ status: 404, code: 'NotFound', detail: 'secret x not found', awsCode: 'ResourceNotFoundException', requestId: 'r1' })
  })

  it('answers our own faults with the log id only, keeping a rollback report without its error texts', () => {
    const err = new DomainError('InternalError', 'create failed at step x: TypeError: cannot read "password"', {
      details: {
        failedStep: 'x',
        error: 'TypeError: cannot read "password"',
        rolledBack: ['a'],
        rollbackFailures: [{ step: 'b', error: 'ENOENT /etc/secret' }],
      },
    })
    const { problem, internal } = toProblem(err, 'r2')
    expect(internal).toBe(true)
    expect(problem).toMatchObject({
      status: 500,
      detail: 'internal error; logId=r2',
      logId: 'r2',
      failedStep: 'x',
      rolledBack: ['a'],
      rollbackFailures: [{ step: 'b' }],
    })
    expect(JSON.stringify(problem)).not.toMatch(/password|ENOENT/)
  })
})
