import { describe, expect, it } from 'vitest'
import { parseTaskDefinitionRef } from '../../../src/domain/taskdefs/task-definition-ref.js'

describe('{taskdef} path segment', () => {
  it('reads a family, family:revision and an ARN', () => {
    expect(parseTaskDefinitionRef('web_app-1')).toEqual({ ref: 'web_app-1', family: 'web_app-1', revision: undefined })
    expect(parseTaskDefinitionRef('web:12')).toEqual({ ref: 'web:12', family: 'web', revision: 12 })
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3'
    expect(parseTaskDefinitionRef(arn)).toEqual({ ref: arn, family: 'web', revision: 3 })
  })

  it.each(['', 'web:0', 'web:', 'a b', 'web:1:2', 'arn:aws:ecs:us-east-1:123456789012:service/web', 'x'.repeat(256)])('refuses %j', (segment) => {
    expect(() => parseTaskDefinitionRef(segment)).toThrow(/is not a family, family:revision or task definition ARN/)
  })
})
