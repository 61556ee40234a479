/**
 * The seed's sample task response (Go's JSON of ecs.DescribeTasksOutput), turned into SDK shape and
 * encoded back, comes out with the same PascalCase keys and equal values.
 */
import { DescribeTasksResponse$ } from '@aws-sdk/client-ecs'
import type { DescribeTasksCommandOutput } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'

import { decode, encode } from '../../src/codec/index.js'
import type { JsonValue } from '../../src/codec/index.js'
import { seedFixture } from './seed-shapes.js'

type Json = JsonValue | undefined

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const SEED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** Every key/value of `expected` must be in `actual`; seed timestamps compare as instants. */
function expectContains(actual: Json, expected: Json, path: string, skip: ReadonlySet<string>): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    expect(actual, path).toBeTypeOf('object')
    const obj = actual as Record<string, JsonValue>
    for (const [key, value] of Object.entries(expected)) {
      const childPath = `${path}.${key}`
      if (skip.has(childPath)) continue
      expect(Object.keys(obj), childPath).toContain(key)
      expectContains(obj[key], value, childPath, skip)
    }
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true)
    const list = actual as JsonValue[]
    expect(list, path).toHaveLength(expected.length)
    expected.forEach((item, i) => expectContains(list[i], item, `${path}[${i}]`, skip))
  } else if (typeof expected === 'string' && SEED_TIMESTAMP.test(expected)) {
    expect(actual, path).toMatch(ISO_MS)
    expect(Date.parse(actual as string), path).toBe(Date.parse(expected))
  } else {
    expect(actual, path).toStrictEqual(expected)
  }
}

describe('seed task response round trip', () => {
  const seed = seedFixture('task-describe-response.json') as JsonValue
  const { value: sdk, unknownKeys } = decode<DescribeTasksCommandOutput>(DescribeTasksResponse$, seed)

  it('decodes into SDK shape: camelCase members, Dates, nulls dropped', () => {
    const task = sdk.tasks?.[0]
    expect(task?.taskArn).toBe('arn:aws:ecs:us-east-1:001122334455:task/myclu/25cb8e5435b04a0396c1fea4db587b8b')
    expect(task?.createdAt).toEqual(new Date('2021-06-02T16:15:04.391Z'))
    expect(task?.pullStartedAt).toEqual(new Date('2021-06-02T16:15:29.450Z'))
    expect(task?.containers?.[1]?.exitCode).toBe(2)
    expect(task?.overrides?.containerOverrides?.[0]).toStrictEqual({ name: 'sleeper' })
    expect(task).not.toHaveProperty('attributes')
    // ECS's Task has no `revision` member; the seed's sample carries one.
    expect(unknownKeys).toEqual(['Tasks[0].Revision'])
  })

  it('encodes back with the seed keys (PascalCase), values and ISO timestamps', () => {
    const json = encode(DescribeTasksResponse$, sdk, { fillNull: true })

    expectContains(json, seed, '$', new Set(['$.Tasks[0].Revision']))
  })

  it('fills unset members with null like the Go service when asked, and omits them by default', () => {
    const filled = encode(DescribeTasksResponse$, sdk, { fillNull: true }) as { Tasks: Array<Record<string, Json>> }
    const task = filled.Tasks[0]
    expect(task?.Attributes).toBeNull()
    expect(task?.StartedBy).toBeNull()
    expect(task?.CreatedAt).toBe('2021-06-02T16:15:04.391Z')

    const sparse = encode(DescribeTasksResponse$, sdk) as { Tasks: Array<Record<string, Json>> }
    expect(sparse.Tasks[0]).not.toHaveProperty('Attributes')
    expect(sparse.Tasks[0]?.LastStatus).toBe('STOPPED')
  })

  it('drops the SDK $metadata of a command output', () => {
    const json = encode(DescribeTasksResponse$, { ...sdk, $metadata: { httpStatusCode: 200 } })
    expect(json).not.toHaveProperty('$metadata')
    expect(Object.keys(json as object)).toEqual(['Tasks', 'Failures'])
  })
})
