import { CreateClusterRequest$, Tag$ } from '@aws-sdk/client-ecs'
import type { CreateClusterCommandInput } from '@aws-sdk/client-ecs'
import { CreateSecretRequest$ } from '@aws-sdk/client-secrets-manager'
import type { CreateSecretCommandInput } from '@aws-sdk/client-secrets-manager'
import { describe, expect, expectTypeOf, it } from 'vitest'

import { InputError } from '../../src/core/errors.js'
import { decode, encode, JsonSchemaBuilder, listOf, mapOf, scalar, sdkShape, struct } from '../../src/codec/index.js'
import type { ShapeType } from '../../src/codec/index.js'
import { ServiceCreateBody, seedFixture } from './seed-shapes.js'

const Body = struct({
  cluster: sdkShape<CreateClusterCommandInput>(CreateClusterRequest$),
  credentials: mapOf(sdkShape<CreateSecretCommandInput>(CreateSecretRequest$)),
  tags: listOf(Tag$),
  forceNewDeployment: scalar.boolean,
})

describe('wrapper structs', () => {
  it('matches wrapper keys case-insensitively and keeps credentials keys (container names) verbatim', () => {
    const { value, unknownKeys } = decode(Body, {
      CLUSTER: { ClusterName: 'c' },
      Credentials: { WebServer: { name: 'cred', SECRETSTRING: '{"a":1}' }, 'api-v2': { Name: 'x' } },
      forcenewdeployment: false,
      extra: 1,
    })
    expect(value).toStrictEqual({
      cluster: { clusterName: 'c' },
      credentials: { WebServer: { Name: 'cred', SecretString: '{"a":1}' }, 'api-v2': { Name: 'x' } },
      forceNewDeployment: false,
    })
    expect(unknownKeys).toEqual(['extra'])
  })

  it('names paths inside wrapper maps', () => {
    const bad = () => decode(Body, { credentials: { web: { SecretString: 1 } } })
    expect(bad).toThrow(InputError)
    expect(bad).toThrow('credentials.web.SecretString must be a string')
    expect(() => decode(Body, { credentials: { web: 'x' } })).toThrow('credentials.web must be an object')
  })

  it('types the decoded value from the declared shapes', () => {
    expectTypeOf<ShapeType<typeof Body>>().toEqualTypeOf<{
      cluster?: CreateClusterCommandInput
      credentials?: Record<string, CreateSecretCommandInput>
      tags?: unknown[]
      forceNewDeployment?: boolean
    }>()
  })

  it('encodes a wrapper with Go field names: PascalCase members, verbatim map keys', () => {
    const { value } = decode(ServiceCreateBody, seedFixture('service-create-new-everything.json'))
    const json = encode(ServiceCreateBody, value) as Record<string, Record<string, unknown>>

    expect(Object.keys(json)).toEqual(['Cluster', 'TaskDefinition', 'Service', 'ServiceRegistry', 'Credentials', 'Tags'])
    expect(json.Cluster).toStrictEqual({ ClusterName: 'myclu' })
    expect(json.Credentials).toStrictEqual({
      webserver: {
        Name: 'myapp-webserver-cred',
        SecretString: '{"username" : "supahman","password" : "dontkryptonitemebro"}',
        Description: 'myapp-webserver-cred',
      },
    })
    expect(json.TaskDefinition).toMatchObject({
      ContainerDefinitions: [{ PortMappings: [{ ContainerPort: 80, Protocol: 'tcp' }], LogConfiguration: { Options: { 'awslogs-group': 'myclu' } } }],
    })
  })

  it('rejects member names that clash case-insensitively, or __proto__', () => {
    expect(() => struct({ tags: scalar.string, Tags: scalar.string })).toThrow(TypeError)
    expect(() => struct({ ['__proto__']: scalar.string })).toThrow(TypeError)
  })
})

describe('shapes declared from schema thunks', () => {
  it('calls the thunk on first decode, encode or JSON Schema, not at declaration, and gives the same results as the schema itself', () => {
    let calls = 0
    const thunk = () => {
      calls += 1
      return CreateClusterRequest$
    }
    const lazy = sdkShape<CreateClusterCommandInput>(thunk)
    const wrapped = struct({ cluster: sdkShape<CreateClusterCommandInput>(thunk), tags: listOf(thunk), byName: mapOf(thunk) })
    expect(calls).toBe(0)

    const body = { clustername: 'c', Tags: [{ key: 'k', value: 'v' }], extra: 1 }
    expect(decode(lazy, body)).toStrictEqual(decode(CreateClusterRequest$, body))
    expect(calls).toBe(1)
    expect(decode(lazy, { clusterName: 'd' }).value).toStrictEqual({ clusterName: 'd' })
    expect(calls).toBe(1)
    expect(encode(lazy, { clusterName: 'c' })).toStrictEqual(encode(CreateClusterRequest$, { clusterName: 'c' }))
    expect(() => decode(lazy, { clusterName: 1 })).toThrow('clusterName must be a string')

    expect(new JsonSchemaBuilder().schemaOf(wrapped)).toStrictEqual(
      new JsonSchemaBuilder().schemaOf(struct({ cluster: CreateClusterRequest$, tags: listOf(CreateClusterRequest$), byName: mapOf(CreateClusterRequest$) })),
    )
  })
})
