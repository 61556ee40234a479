/** The memory of recent cluster org checks: only live clusters of the org, for a while, within bounds. */
import type { Cluster } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { ClusterOrgMemory, clusterOrgMemoryOf } from '../../src/core/clusters.js'

const ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/space1'

function cluster(org: string | undefined, status = 'ACTIVE', name = 'space1'): Cluster {
  return {
    clusterName: name,
    clusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/${name}`,
    status,
    tags: org ? [{ key: 'spinup:org', value: org }] : [],
  }
}

describe('ClusterOrgMemory', () => {
  it('remembers a live cluster of the org, by name or ARN, for that org only', () => {
    const memory = new ClusterOrgMemory({ ttlMs: 60_000 })
    expect(memory.recentlyOf('space1', 'a')).toBe(false)
    memory.remember(cluster('a'), 'a')
    expect(memory.recentlyOf('space1', 'a')).toBe(true)
    expect(memory.recentlyOf(ARN, 'a')).toBe(true)
    expect(memory.recentlyOf('space1', 'b')).toBe(false)
    expect(memory.recentlyOf('space2', 'a')).toBe(false)
  })

  it('never remembers a cluster of another org, an untagged one or one that is not live', () => {
    const memory = new ClusterOrgMemory({ ttlMs: 60_000 })
    memory.remember(cluster('b'), 'a')
    memory.remember(cluster(undefined, 'ACTIVE', 'space2'), 'a')
    memory.remember(cluster('a', 'INACTIVE', 'space3'), 'a')
    for (const name of ['space1', 'space2', 'space3']) expect(memory.recentlyOf(name, 'a'), name).toBe(false)
  })

  it('forgets a cluster when told (by name or ARN), and when its time is up', () => {
    let now = 1_000
    const memory = new ClusterOrgMemory({ ttlMs: 5_000, now: () => now })
    memory.remember(cluster('a'), 'a')
    memory.forget(ARN)
    expect(memory.recentlyOf('space1', 'a')).toBe(false)
    memory.remember(cluster('a'), 'a')
    now += 4_999
    expect(memory.recentlyOf('space1', 'a')).toBe(true)
    now += 2
    expect(memory.recentlyOf('space1', 'a')).toBe(false)
  })

  it('keeps at most `max` clusters, and nothing with a TTL of 0', () => {
    const bounded = new ClusterOrgMemory({ ttlMs: 60_000, max: 2 })
    for (const name of ['s1', 's2', 's3']) bounded.remember(cluster('a', 'ACTIVE', name), 'a')
    expect(['s1', 's2', 's3'].map((n) => bounded.recentlyOf(n, 'a'))).toEqual([false, true, true])
    const off = new ClusterOrgMemory({ ttlMs: 0 })
    off.remember(cluster('a'), 'a')
    expect(off.recentlyOf('space1', 'a')).toBe(false)
  })

  it('is one per account object: two apps (replicas) never share one', () => {
    const accountOfAppA = {}
    const accountOfAppB = {}
    expect(clusterOrgMemoryOf(accountOfAppA)).toBeUndefined()
    const memory = clusterOrgMemoryOf(accountOfAppA, 60_000)
    expect(clusterOrgMemoryOf(accountOfAppA, 60_000)).toBe(memory)
    memory.remember(cluster('a'), 'a')
    expect(clusterOrgMemoryOf(accountOfAppB, 60_000).recentlyOf('space1', 'a')).toBe(false)
  })
})
