import { describe, expect, it } from 'vitest'
import { isOfAccount, parseTaskDefinitionRef } from '../../src/core/task-definition-ref.js'

describe('{taskdef} path segment', () => {
  it('reads a family, family:revision and an ARN', () => {
    expect(parseTaskDefinitionRef('web_app-1')).toEqual({ ref: 'web_app-1', family: 'web_app-1', revision: undefined, home: undefined })
    expect(parseTaskDefinitionRef('web:12')).toEqual({ ref: 'web:12', family: 'web', revision: 12, home: undefined })
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3'
    expect(parseTaskDefinitionRef(arn)).toEqual({ ref: arn, family: 'web', revision: 3, home: 'arn:aws:ecs:us-east-1:123456789012:' })
  })

  it.each(['', 'web:0', 'web:', 'a b', 'web:1:2', 'arn:aws:ecs:us-east-1:123456789012:service/web', 'x'.repeat(256)])('refuses %j', (segment) => {
    expect(() => parseTaskDefinitionRef(segment)).toThrow(/is not a family, family:revision or task definition ARN/)
  })

  it("accepts an ARN only for an answer of the same partition, region and account; a family or revision for any", () => {
    const ours = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3'
    const ref = parseTaskDefinitionRef(ours)
    expect(isOfAccount(ref, ours)).toBe(true)
    expect(isOfAccount(ref, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4')).toBe(true)
    expect(isOfAccount(ref, 'arn:aws:ecs:us-east-1:111111111111:task-definition/web:3')).toBe(false)
    expect(isOfAccount(ref, 'arn:aws:ecs:us-west-2:123456789012:task-definition/web:3')).toBe(false)
    expect(isOfAccount(ref, 'arn:aws-cn:ecs:us-east-1:123456789012:task-definition/web:3')).toBe(false)
    expect(isOfAccount(ref, undefined)).toBe(false)
    expect(isOfAccount(parseTaskDefinitionRef('web:3'), 'arn:aws:ecs:us-west-2:111111111111:task-definition/web:3')).toBe(true)
  })
})
