/** The memory of task definition revisions: by `family:revision`, never a bare family, copies out, nothing kept with a TTL of 0. */
import { describe, expect, it } from 'vitest'
import { RevisionMemory, revisionMemoryOf } from '../../src/core/revision-memory.js'

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web_app-1:3'

describe('RevisionMemory', () => {
  it('finds a revision by its ARN or family:revision, and forgets it by either', () => {
    const memory = new RevisionMemory<{ status: string }>({ ttlMs: 60_000 })
    memory.remember(ARN, { status: 'ACTIVE' })
    expect(memory.get('web_app-1:3')).toEqual({ status: 'ACTIVE' })
    expect(memory.get('arn:aws:ecs:us-east-1:123456789012:task-definition/web_app-1:4')).toBeUndefined()
    memory.forget('web_app-1:3')
    expect(memory.get(ARN)).toBeUndefined()
  })

  it('does not keep a bare family (its latest revision moves)', () => {
    const memory = new RevisionMemory<{ status: string }>({ ttlMs: 60_000 })
    memory.remember('web', { status: 'ACTIVE' })
    expect(memory.get('web')).toBeUndefined()
  })

  it('answers copies: a caller changing one changes nothing remembered', () => {
    const memory = new RevisionMemory<{ containers: string[] }>({ ttlMs: 60_000 })
    const given = { containers: ['a'] }
    memory.remember(ARN, given)
    given.containers.push('b')
    memory.get(ARN)!.containers.push('c')
    expect(memory.get(ARN)).toEqual({ containers: ['a'] })
  })

  it('keeps at most `max`, and nothing with a TTL of 0', () => {
    const small = new RevisionMemory<{ n: number }>({ ttlMs: 60_000, max: 1 })
    small.remember('web:1', { n: 1 })
    small.remember('web:2', { n: 2 })
    expect([small.get('web:1'), small.get('web:2')]).toEqual([undefined, { n: 2 }])
    const off = new RevisionMemory<{ n: number }>({ ttlMs: 0 })
    off.remember('web:1', { n: 1 })
    expect(off.get('web:1')).toBeUndefined()
  })

  it('is one per account object, made only with a TTL', () => {
    const account = {}
    expect(revisionMemoryOf(account)).toBeUndefined()
    const made = revisionMemoryOf(account, 1_000)
    expect(revisionMemoryOf(account)).toBe(made)
    expect(revisionMemoryOf({}, 1_000)).not.toBe(made)
  })
})
