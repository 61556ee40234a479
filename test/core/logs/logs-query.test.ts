import { describe, expect, it } from 'vitest'
import { parseLogsQuery } from '../../../src/core/logs/logs-query.js'

describe('parseLogsQuery', () => {
  it('takes every container name ECS allows, a leading underscore or hyphen included', () => {
    for (const container of ['web', '_web', '-web']) {
      expect(parseLogsQuery({ task: 'space/abc123', container })).toMatchObject({ taskId: 'abc123', container })
    }
  })

  it('refuses a name ECS would not give a container', () => {
    expect(() => parseLogsQuery({ task: 'abc123', container: 'a.b' })).toThrow('not a container name')
  })
})
