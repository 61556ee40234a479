import { CreateClusterRequest$, RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs'
import { CreateSecretRequest$ } from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'

import { InputError } from '../../src/core/errors.js'
import { MAX_UNKNOWN_REPORTED, decode, listOf, scalar, sdkShape, struct } from '../../src/codec/index.js'
import type { ShapeInput } from '../../src/codec/index.js'

/** Runs `fn`, expects an InputError and returns it. */
function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return err as InputError
  }
  throw new Error('expected an InputError')
}

function taskDef(container: Record<string, unknown>): unknown {
  return { family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx', ...container }] }
}

describe('member names', () => {
  it.each(['clustername', 'ClusterName', 'clusterName', 'CLUSTERNAME'])('maps %s to clusterName', (key) => {
    expect(decode(CreateClusterRequest$, { [key]: 'myclu' }).value).toStrictEqual({ clusterName: 'myclu' })
  })

  it('keeps PascalCase SDK members PascalCase (Secrets Manager)', () => {
    const { value } = decode(CreateSecretRequest$, { name: 'n', secretstring: 's', SecretString: 'S2' })
    // Both spellings name the same member; as in Go, the later key wins.
    expect(value).toStrictEqual({ Name: 'n', SecretString: 'S2' })
  })

  it('keeps keys of map members verbatim and decodes their values', () => {
    const { value } = decode(
      RegisterTaskDefinitionRequest$,
      taskDef({
        DockerLabels: { 'com.example.Team': 'Platform', lower: 'x' },
        linuxParameters: { sysctls: undefined },
        volumesFrom: [],
      }),
    )
    expect(value).toMatchObject({
      containerDefinitions: [{ dockerLabels: { 'com.example.Team': 'Platform', lower: 'x' }, linuxParameters: {} }],
    })
  })

  it('keeps volume driverOpts and labels keys verbatim', () => {
    const body = {
      family: 'f',
      volumes: [
        {
          name: 'data',
          dockerVolumeConfiguration: { driver: 'local', driverOpts: { Type: 'nfs', 'o': 'addr=10.0.0.1' }, labels: { Owner: 'Me' } },
        },
      ],
    }
    expect(decode(RegisterTaskDefinitionRequest$, body).value).toStrictEqual({
      family: 'f',
      volumes: [
        {
          name: 'data',
          dockerVolumeConfiguration: { driver: 'local', driverOpts: { Type: 'nfs', o: 'addr=10.0.0.1' }, labels: { Owner: 'Me' } },
        },
      ],
    })
  })

  it('treats null members as absent, like a nil pointer in Go', () => {
    expect(decode(CreateClusterRequest$, { clusterName: null, tags: null }).value).toStrictEqual({})
  })

  it('reports unknown keys with their JSON path and drops them', () => {
    const { value, unknownKeys } = decode(
      RegisterTaskDefinitionRequest$,
      taskDef({ ports: [80], 'x-custom': 1, logConfiguration: { logDriver: 'awslogs', Bogus: true } }),
    )
    expect(unknownKeys).toEqual([
      'containerDefinitions[0].ports',
      'containerDefinitions[0]["x-custom"]',
      'containerDefinitions[0].logConfiguration.Bogus',
    ])
    expect(value).toStrictEqual({
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'nginx', logConfiguration: { logDriver: 'awslogs' } }],
    })
  })

  it('caps the unknown-key report', () => {
    const body: Record<string, number> = {}
    for (let i = 0; i < 500; i++) body[`k${i}`] = i
    expect(decode(CreateClusterRequest$, body).unknownKeys).toHaveLength(MAX_UNKNOWN_REPORTED)
  })

  it('prefixes reported paths with options.path', () => {
    const { unknownKeys } = decode(CreateClusterRequest$, { nope: 1 }, { path: 'cluster' })
    expect(unknownKeys).toEqual(['cluster.nope'])
    expect(inputError(() => decode(CreateClusterRequest$, { clusterName: 1 }, { path: 'cluster' })).message).toBe(
      'cluster.clusterName must be a string',
    )
  })
})

describe('type mismatches name the JSON path', () => {
  it.each<[string, unknown, string]>([
    [
      'string for a number',
      taskDef({ portMappings: [{ containerPort: '80' }] }),
      'containerDefinitions[0].portMappings[0].containerPort must be a number',
    ],
    ['object for a list', { family: 'f', containerDefinitions: {} }, 'containerDefinitions must be an array'],
    ['list for an object', taskDef({ logConfiguration: [] }), 'containerDefinitions[0].logConfiguration must be an object'],
    ['string for a boolean', taskDef({ essential: 'true' }), 'containerDefinitions[0].essential must be a boolean'],
    ['number for a string', { family: 42 }, 'family must be a string'],
    ['list for a string', { family: ['a'] }, 'family must be a string'],
    ['number in a string list', taskDef({ command: ['sh', 1] }), 'containerDefinitions[0].command[1] must be a string'],
    [
      'number as a map value',
      taskDef({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 7 } } }),
      'containerDefinitions[0].logConfiguration.options["awslogs-group"] must be a string',
    ],
    ['list for a map', taskDef({ dockerLabels: ['a'] }), 'containerDefinitions[0].dockerLabels must be an object'],
    ['null list item', { family: 'f', containerDefinitions: [null] }, 'containerDefinitions[0] must not be null'],
    ['null map value', taskDef({ dockerLabels: { a: null } }), 'containerDefinitions[0].dockerLabels.a must not be null'],
  ])('%s', (_case, body, message) => {
    const err = inputError(() => decode(RegisterTaskDefinitionRequest$, body))
    expect(err.message).toBe(message)
    expect(err.status).toBe(400)
    expect(err.details).toEqual({ path: message.slice(0, message.lastIndexOf(' must')) })
  })

  it.each([null, [], [{ clusterName: 'x' }], 'x', 1, true])('rejects a top-level %j', (input) => {
    expect(inputError(() => decode(CreateClusterRequest$, input)).message).toBe('body must be an object')
  })

  it('rejects undefined input', () => {
    expect(inputError(() => decode(CreateClusterRequest$, undefined)).message).toBe('body must be an object')
  })
})

describe('scalars', () => {
  const At = struct({ at: scalar.timestamp, bytes: scalar.blob, doc: scalar.document, n: scalar.number })

  it.each<[unknown, string]>([
    ['2021-06-02T16:15:29.45Z', '2021-06-02T16:15:29.450Z'],
    ['2021-06-02T16:15:29Z', '2021-06-02T16:15:29.000Z'],
    ['2021-06-02t16:15:29.123456789z', '2021-06-02T16:15:29.123Z'],
    ['2021-06-02T18:15:29+02:00', '2021-06-02T16:15:29.000Z'],
    ['2021-06-02 16:15:29+0000', '2021-06-02T16:15:29.000Z'],
    ['2021-06-02', '2021-06-02T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    [1622650529, '2021-06-02T16:15:29.000Z'],
    [1622650529.5, '2021-06-02T16:15:29.500Z'],
    [1622650529450, '2021-06-02T16:15:29.450Z'],
  ])('reads timestamp %j', (input, iso) => {
    const { value } = decode(At, { at: input })
    expect(value.at).toBeInstanceOf(Date)
    expect(value.at?.toISOString()).toBe(iso)
  })

  it.each([
    'yesterday',
    '1',
    '2021-06-02T16:15:29',
    '2021-13-02T00:00:00Z',
    '2021-02-30T00:00:00Z',
    '2021-06-02T24:00:00Z',
    '',
    true,
    {},
    1e300,
  ])(
    'rejects timestamp %j',
    (input) => {
      expect(inputError(() => decode(At, { at: input })).message).toBe(
        'at must be a timestamp (RFC 3339 string or epoch number)',
      )
    },
  )

  it('reads base64 blobs as Uint8Array', () => {
    const { value } = decode(CreateSecretRequest$, { Name: 'n', SecretBinary: Buffer.from('héllo').toString('base64') })
    expect(value).toMatchObject({ Name: 'n' })
    const bytes = (value as { SecretBinary: unknown }).SecretBinary
    expect(bytes).toBeInstanceOf(Uint8Array)
    expect(Buffer.from(bytes as Uint8Array).toString()).toBe('héllo')
  })

  it.each(['not base64!', 'abcde', 42])('rejects blob %j', (input) => {
    expect(inputError(() => decode(At, { bytes: input })).message).toBe('bytes must be a base64 string')
  })

  it('passes documents through untouched', () => {
    const doc = { any: ['json', 1, null, { nested: true }] }
    expect(decode(At, { doc }).value.doc).toBe(doc)
  })

  it('accepts only finite JSON numbers for numbers', () => {
    expect(decode(At, { n: 1.5 }).value).toStrictEqual({ n: 1.5 })
    expect(inputError(() => decode(At, { n: '1' })).message).toBe('n must be a number')
    expect(inputError(() => decode(At, { n: Number.NaN })).message).toBe('n must be a number')
  })
})

describe('hostile input', () => {
  it('does not let __proto__ keys pollute prototypes', () => {
    const body: unknown = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "family": "f", "containerDefinitions": [{"name": "c",' +
        ' "dockerLabels": {"__proto__": {"polluted": "yes"}, "ok": "1"}, "constructor": {"prototype": {"polluted": "yes"}}}]}',
    )
    const { value, unknownKeys } = decode(RegisterTaskDefinitionRequest$, body)

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    const labels = (value as { containerDefinitions: Array<{ dockerLabels: object }> }).containerDefinitions[0]!.dockerLabels
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype)
    expect(labels).toStrictEqual({ ok: '1' })
    expect((labels as Record<string, unknown>).polluted).toBeUndefined()
    expect(unknownKeys).toEqual([
      '__proto__',
      'containerDefinitions[0].dockerLabels.__proto__',
      'containerDefinitions[0].constructor',
    ])
  })

  it('does not match inherited Object.prototype names as members', () => {
    const { value, unknownKeys } = decode(CreateClusterRequest$, { toString: 'x', hasOwnProperty: 1, valueOf: {} })
    expect(value).toStrictEqual({})
    expect(unknownKeys).toEqual(['toString', 'hasOwnProperty', 'valueOf'])
  })

  it('rejects deep nesting through a recursive schema without overflowing the stack', () => {
    // A recursive SDK-style structure: [3, namespace, name, traits, memberNames, memberSchemas].
    const Tree$: unknown[] = [3, 'test', 'Tree', 0, ['name', 'children'], [0, () => TreeList]]
    const TreeList = [1, 'test', 'TreeList', 0, () => Tree$]
    let deep: unknown = { name: 'leaf' }
    for (let i = 0; i < 10_000; i++) deep = { children: [deep] }

    expect(inputError(() => decode(Tree$, deep)).message).toMatch(/is nested too deeply$/)
    expect(decode(Tree$, { Name: 'a', CHILDREN: [{ name: 'b', children: [] }] }).value).toStrictEqual({
      name: 'a',
      children: [{ name: 'b', children: [] }],
    })
  })

  it('fails fast on deep input where a scalar is expected', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(inputError(() => decode(CreateClusterRequest$, { clusterName: deep })).message).toBe(
      'clusterName must be a string',
    )
  })

  it('never throws anything but InputError on random JSON, against a large schema', () => {
    const random = prng(42)
    const seedBody = taskDef({
      portMappings: [{ containerPort: 80 }],
      logConfiguration: { logDriver: 'awslogs', options: { a: 'b' } },
      environment: [{ name: 'A', value: 'B' }],
    })
    for (let i = 0; i < 2_000; i++) {
      const input = i % 2 === 0 ? randomJson(random, 0) : mutate(structuredClone(seedBody), random)
      try {
        decode(RegisterTaskDefinitionRequest$, input)
      } catch (err) {
        expect(err).toBeInstanceOf(InputError)
      }
    }
  })
})

describe('schema resolution', () => {
  it('resolves an SDK schema once (cached per schema object)', () => {
    expect(sdkShape(RegisterTaskDefinitionRequest$)).toBe(sdkShape(RegisterTaskDefinitionRequest$))
  })

  it('decodes top-level lists', () => {
    const Tags: ShapeInput = listOf(struct({ key: scalar.string }))
    expect(decode(Tags, [{ KEY: 'a' }]).value).toStrictEqual([{ key: 'a' }])
    expect(inputError(() => decode(Tags, {})).message).toBe('body must be an array')
  })

  it('refuses operation schemas, which are not data shapes', () => {
    expect(() => decode([9, 'ns', 'Op', 0, () => 0, () => 0], {})).toThrow(TypeError)
  })
})

type Random = () => number

function prng(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const KEYS = ['family', 'containerDefinitions', 'name', 'portMappings', 'options', '__proto__', 'constructor', 'x']

function randomJson(random: Random, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 4 ? 5 : 7))
  switch (pick) {
    case 0:
      return null
    case 1:
      return random() < 0.5
    case 2:
      return Math.floor(random() * 1e6) - 5e5
    case 3:
      return random().toString(36)
    case 4:
      return '2021-06-02T16:15:29Z'
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1))
    default: {
      const out: Record<string, unknown> = {}
      const n = Math.floor(random() * 4)
      for (let i = 0; i < n; i++) {
        Object.defineProperty(out, KEYS[Math.floor(random() * KEYS.length)]!, {
          value: randomJson(random, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      }
      return out
    }
  }
}

/** Replaces one random node of a valid body with random JSON. */
function mutate(body: unknown, random: Random): unknown {
  if (random() < 0.2 || body === null || typeof body !== 'object') return randomJson(random, 0)
  const container = body as Record<string, unknown>
  const keys = Object.keys(container)
  if (keys.length === 0) return randomJson(random, 0)
  const key = keys[Math.floor(random() * keys.length)]!
  container[key] = mutate(container[key], random)
  return body
}
