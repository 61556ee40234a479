import type { ServiceEvent } from '@aws-sdk/client-ecs'

/** One distinct service event with how often it came (ECS repeats the same message for every attempt). */
export interface FoldedEvent {
  Message: string
  Count: number
  FirstAt: string | null
  LastAt: string | null
}

/**
 * What varies between repeats of one event: task, deployment and container-instance ids, and the
 * counts in "has started 2 tasks". Replaced before comparing, so repeats fold into one.
 */
function shapeOf(message: string): string {
  return message
    .replace(/\((task|deployment|container-instance|instance) [^)]*\)/gi, '($1 *)')
    .replace(/\b[0-9a-f]{32}\b/gi, '*')
    .replace(/ecs-svc\/\d+/g, 'ecs-svc/*')
    .replace(/\b\d+\b/g, 'N')
}

/** The events at or after `since`, folded by shape, newest first; each keeps its newest wording. */
export function foldEvents(events: readonly ServiceEvent[], since: number): FoldedEvent[] {
  const folded = new Map<string, FoldedEvent & { first: number; last: number }>()
  for (const e of events) {
    const at = e.createdAt?.getTime()
    if (at !== undefined && at < since) continue
    const message = e.message ?? ''
    const key = shapeOf(message)
    const found = folded.get(key)
    const t = at ?? 0
    if (!found) {
      folded.set(key, { Message: message, Count: 1, first: t, last: t, FirstAt: null, LastAt: null })
      continue
    }
    found.Count++
    if (t > found.last) Object.assign(found, { last: t, Message: message })
    if (t < found.first) found.first = t
  }
  return [...folded.values()]
    .sort((a, b) => b.last - a.last)
    .map(({ Message, Count, first, last }) => ({
      Message,
      Count,
      FirstAt: first ? new Date(first).toISOString() : null,
      LastAt: last ? new Date(last).toISOString() : null,
    }))
}
