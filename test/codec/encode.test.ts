import { GetLogEventsResponse$ } from '@aws-sdk/client-cloudwatch-logs'
import { ContainerDefinition$, DescribeTasksResponse$ } from '@aws-sdk/client-ecs'
import { DescribeSecretResponse$, GetSecretValueResponse$ } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'

import { encode, mapOf, scalar, struct } from '../../src/codec/index.js'

describe('encode', () => {
  it('upper-cases the first letter of camelCase members (Go field names)', () => {
    const json = encode(DescribeTasksResponse$, {
      tasks: [{ taskArn: 'arn:task', lastStatus: 'RUNNING', containers: [{ name: 'web', exitCode: 0 }] }],
      failures: [],
    })
    expect(json).toStrictEqual({
      Tasks: [{ TaskArn: 'arn:task', LastStatus: 'RUNNING', Containers: [{ Name: 'web', ExitCode: 0 }] }],
      Failures: [],
    })
  })

  it('encodes CloudWatch Logs members (NextForwardToken) and keeps epoch-millisecond longs as numbers', () => {
    const json = encode(GetLogEventsResponse$, {
      events: [{ timestamp: 1583504305223, message: 'hello', ingestionTime: 1583504305300 }],
      nextForwardToken: 'f/1',
      nextBackwardToken: 'b/1',
    })
    expect(json).toStrictEqual({
      Events: [{ Timestamp: 1583504305223, Message: 'hello', IngestionTime: 1583504305300 }],
      NextForwardToken: 'f/1',
      NextBackwardToken: 'b/1',
    })
  })

  it('leaves map keys untouched', () => {
    const json = encode(ContainerDefinition$, {
      name: 'web',
      dockerLabels: { 'com.example.team': 'platform' },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'myclu', 'awslogs-region': 'us-east-1' } },
    })
    expect(json).toStrictEqual({
      Name: 'web',
      DockerLabels: { 'com.example.team': 'platform' },
      LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': 'myclu', 'awslogs-region': 'us-east-1' } },
    })
  })

  it('keeps PascalCase SDK members, map-of-list values and timestamps (Secrets Manager)', () => {
    const json = encode(DescribeSecretResponse$, {
      ARN: 'arn:secret',
      Name: 'ShhhDontTellAnyone',
      LastChangedDate: new Date('2019-07-01T21:30:54Z'),
      Tags: [{ Key: 'spinup:org', Value: 'localdev' }],
      VersionIdsToStages: { '12345678-9012-3456-7898-123456789012': ['AWSCURRENT'] },
      $metadata: {},
    })
    expect(json).toStrictEqual({
      ARN: 'arn:secret',
      Name: 'ShhhDontTellAnyone',
      LastChangedDate: '2019-07-01T21:30:54.000Z',
      Tags: [{ Key: 'spinup:org', Value: 'localdev' }],
      VersionIdsToStages: { '12345678-9012-3456-7898-123456789012': ['AWSCURRENT'] },
    })
  })

  it('fills every unset member with null when fillNull is set', () => {
    const json = encode(DescribeSecretResponse$, { Name: 'n' }, { fillNull: true }) as Record<string, unknown>
    expect(json.Name).toBe('n')
    expect(json.ARN).toBeNull()
    expect(json.RotationRules).toBeNull()
    expect(json.VersionIdsToStages).toBeNull()
    expect(Object.values(json).filter((v) => v !== null)).toEqual(['n'])
  })

  it('encodes blobs as base64', () => {
    const json = encode(GetSecretValueResponse$, { Name: 'n', SecretBinary: new Uint8Array([104, 105]) })
    expect(json).toStrictEqual({ Name: 'n', SecretBinary: 'aGk=' })
  })

  it('keeps a __proto__ map key as a plain own key without touching prototypes', () => {
    const labels: Record<string, string> = { ok: '1' }
    Object.defineProperty(labels, '__proto__', { value: 'x', enumerable: true })
    const json = encode(ContainerDefinition$, { dockerLabels: labels }) as { DockerLabels: object }
    expect(Object.getPrototypeOf(json.DockerLabels)).toBe(Object.prototype)
    expect(JSON.stringify(json)).toBe('{"DockerLabels":{"ok":"1","__proto__":"x"}}')
  })

  it('serializes values that do not match their shape instead of failing', () => {
    const Odd = struct({ at: scalar.timestamp, meta: mapOf(scalar.string), doc: scalar.document })
    const json = encode(Odd, {
      at: 1622650529,
      meta: 'not a map',
      doc: { when: new Date(0), big: 10n, huge: 2n ** 70n, bytes: new Uint8Array([1]), fn: () => 1 },
    })
    expect(json).toStrictEqual({
      At: '2021-06-02T16:15:29.000Z',
      Meta: 'not a map',
      Doc: { when: '1970-01-01T00:00:00.000Z', big: 10, huge: '1180591620717411303424', bytes: 'AQ==', fn: null },
    })
    expect(() => JSON.stringify(json)).not.toThrow()
  })

  it('encodes null and invalid dates as null', () => {
    expect(encode(DescribeTasksResponse$, null)).toBeNull()
    expect(encode(struct({ at: scalar.timestamp }), { at: new Date(Number.NaN) })).toStrictEqual({ At: null })
  })
})
