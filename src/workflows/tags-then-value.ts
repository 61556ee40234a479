import type { DecodedTag, Tag } from '../core/tags.js'
import { defineWorkflow, type RunOptions } from './engine.js'
import { defineStep, type StepContext } from './step.js'

/**
 * An update of a secret or a parameter: its tags, then its value. The value is written last, so
 * nothing can fail after it; when it fails, the tags are put back as they were (keys the update added
 * removed, values it overwrote restored), so the caller sees all of the update or none of it. A
 * rollback that fails is reported as every workflow's is.
 */
export interface TaggedValueUpdate<Output> {
  /** The resource's tags before the update, as AWS answers them. */
  readonly currentTags: readonly DecodedTag[]
  /** Tags to add or overwrite (already checked). */
  readonly tags: readonly Tag[]
  tag(tags: readonly Tag[]): Promise<void>
  untag(keys: readonly string[]): Promise<void>
  /** Writes the new value; absent when only tags change. */
  readonly writeValue?: (() => Promise<Output>) | undefined
}

/** What undoing the tag step needs: the keys to remove and the old values to put back. */
export interface TagRestore {
  readonly remove: string[]
  readonly restore: Tag[]
}

/** The tags of `current` that `given` would add or change, and how to undo that. */
export function tagRestore(current: readonly DecodedTag[], given: readonly Tag[]): TagRestore {
  const before = new Map(current.map((t) => [t.Key, t.Value ?? '']))
  const remove: string[] = []
  const restore: Tag[] = []
  for (const tag of given) {
    const old = before.get(tag.Key)
    if (old === undefined) remove.push(tag.Key)
    else if (old !== tag.Value) restore.push({ Key: tag.Key, Value: old })
  }
  return { remove, restore }
}

type Scope = TaggedValueUpdate<unknown>

const applyTags = defineStep({
  id: 'apply-tags',
  async invoke(ctx: StepContext<Scope>) {
    const { tags, currentTags } = ctx.scope
    if (tags.length === 0) return { output: undefined, skipped: true as const }
    const undo = tagRestore(currentTags, tags)
    await ctx.scope.tag(tags)
    return { output: undefined, compensation: undo }
  },
  async compensate(undo: TagRestore, { scope }) {
    await scope.untag(undo.remove)
    await scope.tag(undo.restore)
  },
})

const writeValue = defineStep({
  id: 'write-value',
  dependsOn: [applyTags],
  // The last change: nothing after it can fail, so it is never undone.
  noCompensation: true,
  async invoke(ctx: StepContext<Scope>) {
    const write = ctx.scope.writeValue
    if (!write) return { output: undefined, skipped: true as const }
    return { output: await write() }
  },
})

const updateWorkflow = defineWorkflow<Scope>('update-tags-then-value', [applyTags, writeValue])

/** Runs the update; answers what the value write answered (undefined when only tags changed). */
export async function updateTagsThenValue<Output>(update: TaggedValueUpdate<Output>, options: RunOptions = {}): Promise<Output | undefined> {
  const run = await updateWorkflow.run(update, options)
  return run.outputOf(writeValue) as Output | undefined
}
