import type { Service, Task } from '@aws-sdk/client-ecs'
import { describe, expect, it } from 'vitest'
import { serviceEntry } from '../../../src/core/spaces/service-entry.js'

/** The per-service rules of the space summary on hand-made ECS objects (digests moto never reports). */

const now = new Date('2026-12-06T12:00:00Z')
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000)
const service: Service = {
  serviceName: 'web',
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/alpha/web',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: 1,
  pendingCount: 1,
  taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  deployments: [{ id: 'ecs-svc/123' }],
}
const running = (digest: string, startedBy?: string): Task => ({
  group: startedBy ? undefined : 'service:web',
  ...(startedBy ? { startedBy } : {}),
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  containers: [{ name: 'app', image: 'repo/app:1', imageDigest: digest }],
})
const stopped = (reason: string, at?: Date): Task => ({
  group: 'service:web',
  lastStatus: 'STOPPED',
  desiredStatus: 'STOPPED',
  stoppedReason: reason,
  ...(at ? { stoppedAt: at } : {}),
})

describe('serviceEntry', () => {
  it("shows the task definition's images with the digests running tasks report, from group or deployment id", () => {
    const entry = serviceEntry({
      service,
      taskDefinition: { containerDefinitions: [{ name: 'app', image: 'repo/app:1' }, { name: 'sidecar', image: 'envoy' }] },
      tasks: [running('sha256:bbb'), running('sha256:aaa', 'ecs-svc/123'), running('sha256:ccc', 'someone-else')],
      health: new Map(),
      now,
    })
    expect(entry.Containers).toEqual([
      { Name: 'app', Image: 'repo/app:1', RunningDigests: ['sha256:aaa', 'sha256:bbb'] },
      { Name: 'sidecar', Image: 'envoy', RunningDigests: [] },
    ])
    expect(entry).toMatchObject({ DesiredCount: 2, RunningCount: 1, PendingCount: 1 })
  })

  it('counts the tasks stopped in the last hour and names the most frequent reason', () => {
    const entry = serviceEntry({
      service,
      taskDefinition: undefined,
      tasks: [
        stopped('OutOfMemoryError', minutesAgo(5)),
        stopped('OutOfMemoryError', minutesAgo(50)),
        stopped('Essential container exited', minutesAgo(1)),
        stopped('Scaling activity', minutesAgo(90)),
        stopped('no time reported'),
      ],
      health: new Map(),
      now,
    })
    expect(entry.RecentFailures).toEqual({ Since: '2026-12-06T11:00:00.000Z', StoppedTasks: 4, TopReason: 'OutOfMemoryError' })
  })
})
