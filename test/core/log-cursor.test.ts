import { describe, expect, it } from 'vitest'
import { compareLogPositions, decodeLogPosition, encodeLogPosition } from '../../src/core/log-cursor.js'

describe('log cursor', () => {
  it('round-trips a position and refuses what is not one', () => {
    const position = { timestamp: 1765010987123, eventId: '38012345678901234567890123456789012345678901234567890123' }
    expect(decodeLogPosition(encodeLogPosition(position))).toEqual(position)
    for (const bad of ['', 'abc', '12-', '-5', '1.5-3', '12-a b', `${'9'.repeat(17)}-1`]) expect(decodeLogPosition(bad), bad).toBeUndefined()
  })

  it('orders by timestamp, then by event id as a number', () => {
    expect(compareLogPositions({ timestamp: 1, eventId: '9' }, { timestamp: 2, eventId: '1' })).toBeLessThan(0)
    // Emulators number events from 0: "9" comes before "10".
    expect(compareLogPositions({ timestamp: 5, eventId: '9' }, { timestamp: 5, eventId: '10' })).toBeLessThan(0)
    expect(compareLogPositions({ timestamp: 5, eventId: '10' }, { timestamp: 5, eventId: '10' })).toBe(0)
  })
})
