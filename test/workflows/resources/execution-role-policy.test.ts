import { describe, expect, it } from 'vitest'
import { policiesEqual, taskExecutionPolicy } from '../../../src/workflows/resources/execution-role-policy.js'

describe('task execution policy', () => {
  const policy = taskExecutionPolicy('org', 'space', 'key-1')

  it('serialises as the original did: three statements, every value a list, no Sids', () => {
    expect(JSON.stringify(policy)).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents","ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage"],"Resource":["*"]},' +
        '{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","ssm:GetParameters","kms:Decrypt"],"Resource":["arn:aws:secretsmanager:*:*:secret:spinup/org/space/*","arn:aws:ssm:*:*:parameter/org/space/*","arn:aws:kms:*:*:key/key-1"]},' +
        '{"Effect":"Allow","Action":["elasticfilesystem:ClientRootAccess","elasticfilesystem:ClientWrite","elasticfilesystem:ClientMount"],"Resource":["*"],"Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":["true"]},"StringEqualsIgnoreCase":{"aws:ResourceTag/spinup:org":["${aws:PrincipalTag/spinup:org}"],"aws:ResourceTag/spinup:spaceid":["${aws:PrincipalTag/spinup:spaceid}"]}}}]}',
    )
  })

  it('compares semantically: order of statements and lists, string or list, empty Sid do not matter', () => {
    const respelled = {
      Statement: [...policy.Statement].reverse().map((s) => ({
        Sid: '',
        ...s,
        Action: [...s.Action].reverse(),
        Resource: s.Resource.length === 1 ? s.Resource[0] : s.Resource,
        ...(s.Condition
          ? { Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' }, StringEqualsIgnoreCase: s.Condition.StringEqualsIgnoreCase } }
          : {}),
      })),
      Version: '2012-10-17',
    }
    expect(policiesEqual(respelled, policy)).toBe(true)
    expect(policiesEqual(JSON.parse(JSON.stringify(policy)), policy)).toBe(true)
  })

  it('tells different policies apart', () => {
    expect(policiesEqual(taskExecutionPolicy('org', 'other', 'key-1'), policy)).toBe(false)
    expect(policiesEqual(taskExecutionPolicy('org', 'space', 'key-2'), policy)).toBe(false)
    expect(policiesEqual({ ...policy, Statement: policy.Statement.slice(0, 2) }, policy)).toBe(false)
    const denied = { ...policy, Statement: policy.Statement.map((s, i) => (i === 0 ? { ...s, Effect: 'Deny' } : s)) }
    expect(policiesEqual(denied, policy)).toBe(false)
    expect(policiesEqual(undefined, policy)).toBe(false)
  })
})
