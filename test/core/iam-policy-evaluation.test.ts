import { describe, expect, it } from 'vitest'
import { evaluatePolicies } from '../../src/core/iam-policy-evaluation.js'

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:spinup/org/space1/db-AbCdEf'
const allow = (Action: unknown, Resource: unknown, extra: object = {}) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource, ...extra }] })

describe('evaluatePolicies', () => {
  it('allows by action and resource wildcards (actions in any case, resources exactly)', () => {
    const policy = { source: 'p', document: JSON.stringify(allow(['SecretsManager:Get*'], 'arn:aws:secretsmanager:*:*:secret:spinup/org/space1/*')) }
    expect(evaluatePolicies([policy], 'secretsmanager:GetSecretValue', SECRET)).toEqual({ allowed: true, by: 'p', conditional: false })
    expect(evaluatePolicies([policy], 'secretsmanager:GetSecretValue', SECRET.replace('space1', 'space2'))).toEqual({ allowed: false, reason: 'no-allow' })
    expect(evaluatePolicies([policy], 'secretsmanager:GetSecretValue', SECRET.replace('spinup', 'SPINUP'))).toEqual({ allowed: false, reason: 'no-allow' })
    const single = { source: 'q', document: allow('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:spinup/org/space1/db-??????') }
    expect(evaluatePolicies([single], 'secretsmanager:GetSecretValue', SECRET).allowed).toBe(true)
  })

  it('lets an explicit Deny win, across policies', () => {
    const allowAll = { source: 'all', document: allow('*', '*') }
    const deny = { source: 'deny', document: { Statement: { Effect: 'Deny', Action: 'secretsmanager:*', Resource: SECRET } } }
    expect(evaluatePolicies([allowAll, deny], 'secretsmanager:GetSecretValue', SECRET)).toEqual({ allowed: false, reason: 'denied', by: 'deny' })
  })

  it('reads NotAction and NotResource, and does not evaluate conditions', () => {
    const notAction = { source: 'na', document: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }
    expect(evaluatePolicies([notAction], 'ssm:GetParameters', 'arn:aws:ssm:us-east-1:1:parameter/org/x').allowed).toBe(true)
    expect(evaluatePolicies([notAction], 'iam:PassRole', '*').allowed).toBe(false)
    const notResource = { source: 'nr', document: { Statement: [{ Effect: 'Deny', Action: '*', NotResource: SECRET }, { Effect: 'Allow', Action: '*', Resource: '*' }] } }
    expect(evaluatePolicies([notResource], 'secretsmanager:GetSecretValue', SECRET).allowed).toBe(true)
    expect(evaluatePolicies([notResource], 'secretsmanager:GetSecretValue', `${SECRET}x`).allowed).toBe(false)
    const conditional = {
      source: 'c',
      document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'false' } } }] },
    }
    expect(evaluatePolicies([conditional], 'secretsmanager:GetSecretValue', SECRET)).toEqual({ allowed: true, by: 'c', conditional: true })
  })

  it('treats a document that is not JSON as granting nothing', () => {
    expect(evaluatePolicies([{ source: 'bad', document: '{not json' }], 's3:GetObject', '*')).toEqual({ allowed: false, reason: 'no-allow' })
  })
})
