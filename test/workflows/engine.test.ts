import { setImmediate as turn } from 'node:timers/promises'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { ConflictError, ThrottledError, UpstreamError } from '../../src/core/errors.js'
import {
  defineStep,
  defineWorkflow,
  StepFailedError,
  WorkflowDefinitionError,
  WorkflowFailedError,
  type Step,
  type StepContext,
  type WorkflowHooks,
} from '../../src/workflows/engine.js'
import { within } from '../harness/events.js'

type EventKind = 'start' | 'end' | 'fail' | 'compensate'

/**
 * Records what happened, in order; steps and tests wait on its events (`when`), so the order of a
 * run is set by what happened, never by timers.
 */
class Recorder {
  readonly events: { step: string; kind: EventKind; input?: unknown }[] = []
  readonly #waiting: { step: string; kind: EventKind; resolve: () => void }[] = []
  log(step: string, kind: EventKind, input?: unknown): void {
    this.events.push({ step, kind, input })
    for (const w of this.#waiting.filter((w) => w.step === step && w.kind === kind)) {
      this.#waiting.splice(this.#waiting.indexOf(w), 1)
      w.resolve()
    }
  }
  steps(kind: string): string[] {
    return this.events.filter((e) => e.kind === kind).map((e) => e.step)
  }
  /** Position of the event in the run (throws when it did not happen). */
  order(step: string, kind: EventKind): number {
    const index = this.events.findIndex((e) => e.step === step && e.kind === kind)
    if (index < 0) throw new Error(`no ${kind} event for ${step}`)
    return index
  }
  /** Resolves once `step` logged `kind` (at once if it already did); rejects after a deadline. */
  when(step: string, kind: EventKind): Promise<void> {
    if (this.events.some((e) => e.step === step && e.kind === kind)) return Promise.resolve()
    return within(new Promise<void>((resolve) => this.#waiting.push({ step, kind, resolve })), `${step} ${kind}`)
  }
}

interface FakeOptions {
  /** What the step waits for after it started, before it ends or fails (default: nothing). */
  until?: () => Promise<unknown>
  deps?: Step<unknown, unknown, unknown>[]
  fail?: Error
  compensateFails?: boolean
}

/** A reversible step that waits for `until`, then either fails or returns `<id>-output` with compensation `<id>-arn`. */
function fakeStep(rec: Recorder, id: string, opts: FakeOptions = {}): Step<string, string> {
  return defineStep({
    id,
    dependsOn: opts.deps ?? [],
    invoke: async () => {
      rec.log(id, 'start')
      await opts.until?.()
      if (opts.fail !== undefined) {
        rec.log(id, 'fail')
        throw opts.fail
      }
      rec.log(id, 'end')
      return { output: `${id}-output`, compensation: `${id}-arn` }
    },
    compensate: async (arn) => {
      rec.log(id, 'compensate', arn)
      await Promise.resolve()
      if (opts.compensateFails) throw new Error(`cannot delete ${arn}`)
    },
  })
}

async function runExpectingFailure(run: Promise<unknown>): Promise<WorkflowFailedError> {
  const err: unknown = await run.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(WorkflowFailedError)
  return err as WorkflowFailedError
}

describe('concurrency', () => {
  it('runs independent steps at the same time', async () => {
    const rec = new Recorder()
    // Each ends only once the other has started: run one after the other, the first one fails.
    const a = fakeStep(rec, 'a', { until: () => rec.when('b', 'start') })
    const b = fakeStep(rec, 'b', { until: () => rec.when('a', 'start') })
    await defineWorkflow('wf', [a, b]).run(undefined)
    expect(rec.order('a', 'start')).toBeLessThan(rec.order('b', 'end'))
    expect(rec.order('b', 'start')).toBeLessThan(rec.order('a', 'end'))
  })

  it('starts a dependent as soon as its dependencies end, not after unrelated slow steps', async () => {
    const rec = new Recorder()
    const fast = fakeStep(rec, 'fast')
    // The slow step ends only once the dependent has ended: a dependent held back until it ends fails it.
    const slow = fakeStep(rec, 'slow', { until: () => rec.when('dependent', 'end') })
    const dependent = fakeStep(rec, 'dependent', { deps: [fast] })
    await defineWorkflow('wf', [dependent, slow, fast]).run(undefined)
    expect(rec.order('dependent', 'start')).toBeGreaterThan(rec.order('fast', 'end'))
    expect(rec.order('dependent', 'end')).toBeLessThan(rec.order('slow', 'end'))
  })

  it('waits for every dependency', async () => {
    const rec = new Recorder()
    let releaseB!: () => void
    const b = fakeStep(rec, 'b', { until: () => new Promise<void>((resolve) => (releaseB = resolve)) })
    const a = fakeStep(rec, 'a')
    const c = fakeStep(rec, 'c', { deps: [a, b] })
    const run = defineWorkflow('wf', [a, b, c]).run(undefined)
    // a has ended and b is held: let everything that is ready run, then c must still wait for b.
    await rec.when('a', 'end')
    await rec.when('b', 'start')
    await turn()
    expect(rec.steps('start')).not.toContain('c')
    releaseB()
    await run
    expect(rec.order('c', 'start')).toBeGreaterThan(rec.order('b', 'end'))
  })
})

describe('outputs and scope', () => {
  it('passes typed outputs to dependents and returns all outputs', async () => {
    interface Scope {
      prefix: string
    }
    const cluster = defineStep({
      id: 'cluster',
      invoke: async (ctx: StepContext<Scope>) => {
        await turn()
        return { output: { arn: `${ctx.scope.prefix}:cluster` }, compensation: 1 }
      },
      compensate: async (n) => {
        expectTypeOf(n).toEqualTypeOf<number>()
        await Promise.resolve()
      },
    })
    const service = defineStep({
      id: 'service',
      dependsOn: [cluster],
      invoke: async (ctx: StepContext<Scope>) => {
        const { arn } = ctx.outputOf(cluster)
        expectTypeOf(arn).toEqualTypeOf<string>()
        return Promise.resolve({ output: `service in ${arn}` })
      },
      noCompensation: true,
    })
    const result = await defineWorkflow<Scope>('wf', [cluster, service]).run({ prefix: 'acct' })
    expect(result.outputOf(service)).toBe('service in acct:cluster')
    expect(result.outputs.get('cluster')).toEqual({ arn: 'acct:cluster' })
    expectTypeOf(result.outputOf(cluster)).toEqualTypeOf<{ arn: string }>()
  })

  it('refuses to read the output of a step that is not a dependency', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const b = defineStep({
      id: 'b',
      invoke: async (ctx) => Promise.resolve({ output: ctx.outputOf(a) }),
      noCompensation: true,
    })
    const err = await runExpectingFailure(defineWorkflow('wf', [a, b]).run(undefined))
    expect(err.report.failedStep).toBe('b')
    expect(err.report.error).toBeInstanceOf(WorkflowDefinitionError)
    expect(err.status).toBe(500)
  })

  it('runs an empty workflow', async () => {
    const result = await defineWorkflow('empty', []).run(undefined)
    expect(result.outputs.size).toBe(0)
  })
})

describe('rollback', () => {
  it('compensates in reverse order of completion, with the recorded inputs', async () => {
    const rec = new Recorder()
    // They end in the order b, c, a, each after the one before it.
    const a = fakeStep(rec, 'a', { until: () => rec.when('c', 'end') })
    const b = fakeStep(rec, 'b')
    const c = fakeStep(rec, 'c', { until: () => rec.when('b', 'end') })
    const boom = fakeStep(rec, 'boom', { deps: [a, b, c], fail: new Error('boom') })
    const err = await runExpectingFailure(defineWorkflow('wf', [a, b, c, boom]).run(undefined))
    expect(rec.steps('end')).toEqual(['b', 'c', 'a'])
    expect(rec.steps('compensate')).toEqual(['a', 'c', 'b'])
    expect(rec.events.filter((e) => e.kind === 'compensate').map((e) => e.input)).toEqual(['a-arn', 'c-arn', 'b-arn'])
    expect(err.report.rolledBack).toEqual(['a', 'c', 'b'])
    expect(err.report.failedStep).toBe('boom')
  })

  it('carries on past a failing compensation and reports it', async () => {
    const rec = new Recorder()
    // They end in the order a, b, c.
    const a = fakeStep(rec, 'a')
    const b = fakeStep(rec, 'b', { until: () => rec.when('a', 'end'), compensateFails: true })
    const c = fakeStep(rec, 'c', { until: () => rec.when('b', 'end') })
    const boom = fakeStep(rec, 'boom', { deps: [a, b, c], fail: new Error('boom') })
    const compensations: unknown[] = []
    const hooks: WorkflowHooks = { onCompensate: (step, outcome) => void compensations.push([step, outcome.ok]) }
    const err = await runExpectingFailure(defineWorkflow('wf', [a, b, c, boom]).run(undefined, { hooks }))
    expect(rec.steps('compensate')).toEqual(['c', 'b', 'a'])
    expect(err.report.rolledBack).toEqual(['c', 'a'])
    expect(err.report.rollbackFailures).toHaveLength(1)
    expect(err.report.rollbackFailures[0]?.step).toBe('b')
    expect(err.details?.rollbackFailures).toEqual([{ step: 'b', error: 'cannot delete b-arn' }])
    expect(err.message).toContain('rollback incomplete')
    expect(compensations).toEqual([
      ['c', true],
      ['b', false],
      ['a', true],
    ])
  })

  it('reports irreversible steps as not rolled back and never compensates skipped ones', async () => {
    const rec = new Recorder()
    let skippedCompensations = 0
    const existing = defineStep({
      id: 'existing-cluster',
      invoke: async () => Promise.resolve({ output: 'pre-existing-arn', skipped: true as const }),
      compensate: async () => {
        skippedCompensations++
        await Promise.resolve()
      },
    })
    const unchanged = defineStep({
      id: 'log-group',
      invoke: async () => Promise.resolve({ output: 'group', compensation: undefined as string | undefined }),
      compensate: async () => {
        skippedCompensations++
        await Promise.resolve()
      },
    })
    const deleted = defineStep({
      id: 'delete-old',
      invoke: async () => Promise.resolve({ output: 'gone' }),
      noCompensation: true,
    })
    const uses = defineStep({
      id: 'uses-existing',
      dependsOn: [existing],
      invoke: async (ctx) => Promise.resolve({ output: ctx.outputOf(existing), compensation: 'x' }),
      compensate: (c) => Promise.resolve(rec.log('uses-existing', 'compensate', c)),
    })
    const boom = fakeStep(rec, 'boom', { deps: [uses, deleted, unchanged], fail: new Error('boom') })
    const err = await runExpectingFailure(defineWorkflow('wf', [existing, unchanged, deleted, uses, boom]).run(undefined))
    expect(skippedCompensations).toBe(0)
    expect(rec.events.find((e) => e.kind === 'compensate')?.input).toBe('x')
    expect(err.report.rolledBack).toEqual(['uses-existing'])
    expect(err.report.notRolledBack).toEqual([{ step: 'delete-old', reason: 'irreversible' }])
    expect([...err.report.nothingToUndo].sort()).toEqual(['existing-cluster', 'log-group'])
  })

  it('keeps the failing step status (409 stays 409), else 500, with a JSON-safe report', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const conflict = fakeStep(rec, 'conflict', { deps: [a], fail: new ConflictError('cluster exists') })
    const err409 = await runExpectingFailure(defineWorkflow('wf', [a, conflict]).run(undefined))
    expect(err409.code).toBe('Conflict')
    expect(err409.status).toBe(409)
    expect(err409.cause).toBeInstanceOf(ConflictError)
    expect(err409.details).toEqual({
      workflow: 'wf',
      failedStep: 'conflict',
      error: 'cluster exists',
      rolledBack: ['a'],
      rollbackFailures: [],
      notRolledBack: [],
      nothingToUndo: [],
      alsoFailed: [],
    })
    expect(JSON.parse(JSON.stringify(err409.details))).toEqual(err409.details)

    const throttled = fakeStep(rec, 'throttled', { fail: new ThrottledError('slow down', { retryAfter: 7 }) })
    const err429 = await runExpectingFailure(defineWorkflow('wf', [throttled]).run(undefined))
    expect([err429.status, err429.retryAfter]).toEqual([429, 7])

    const plain = fakeStep(rec, 'plain', { fail: new TypeError('undefined is not a function') })
    const err500 = await runExpectingFailure(defineWorkflow('wf', [plain]).run(undefined))
    expect([err500.code, err500.status]).toEqual(['InternalError', 500])
    expect(JSON.stringify(err500.details)).not.toContain('at ')
  })
})

describe('a failing step with partial work (StepFailedError)', () => {
  /** A step that changes something (`<id>-partial`), then fails with `cause`, handing the partial work over. */
  function partialStep(rec: Recorder, id: string, cause: unknown, opts: FakeOptions = {}): Step<string, string> {
    return defineStep({
      id,
      dependsOn: opts.deps ?? [],
      invoke: async () => {
        rec.log(id, 'start')
        await opts.until?.()
        rec.log(id, 'fail')
        throw new StepFailedError(cause, { compensation: `${id}-partial` })
      },
      compensate: async (input) => {
        rec.log(id, 'compensate', input)
        await Promise.resolve()
        if (opts.compensateFails) throw new UpstreamError(`cannot delete ${input}`)
      },
    })
  }

  it('undoes the partial work first, then the completed steps; the step stays the failed one with its status', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const b = fakeStep(rec, 'b', { until: () => rec.when('a', 'end') })
    const partial = partialStep(rec, 'partial', new ConflictError('name taken'), { deps: [a, b] })
    const failures: unknown[] = []
    const hooks: WorkflowHooks = { onStepFailure: (_s, e) => void failures.push(e) }
    const err = await runExpectingFailure(defineWorkflow('wf', [a, b, partial]).run(undefined, { hooks }))
    expect(rec.events.filter((e) => e.kind === 'compensate').map((e) => [e.step, e.input])).toEqual([
      ['partial', 'partial-partial'],
      ['b', 'b-arn'],
      ['a', 'a-arn'],
    ])
    expect(err.report.failedStep).toBe('partial')
    expect(err.report.rolledBack).toEqual(['partial', 'b', 'a'])
    expect(err.report.rollbackFailures).toEqual([])
    // The cause is what failed: its status, its message, no wrapper in the report or the hooks.
    expect([err.status, err.code]).toEqual([409, 'Conflict'])
    expect(err.report.error).toBeInstanceOf(ConflictError)
    expect(err.cause).toBeInstanceOf(ConflictError)
    expect(err.details?.error).toBe('name taken')
    expect(failures).toHaveLength(1)
    expect(failures[0]).toBeInstanceOf(ConflictError)
  })

  it('reports a failing undo of the partial work and carries on with the rest', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const partial = partialStep(rec, 'partial', new ThrottledError('slow down', { retryAfter: 3 }), {
      deps: [a],
      compensateFails: true,
    })
    const outcomes: unknown[] = []
    const hooks: WorkflowHooks = { onCompensate: (s, o) => void outcomes.push([s, o.ok]) }
    const err = await runExpectingFailure(defineWorkflow('wf', [a, partial]).run(undefined, { hooks }))
    expect(err.report.failedStep).toBe('partial')
    expect(err.report.rolledBack).toEqual(['a'])
    expect(err.details?.rollbackFailures).toEqual([{ step: 'partial', error: 'cannot delete partial-partial' }])
    expect(err.message).toContain('rollback incomplete')
    expect([err.status, err.retryAfter]).toEqual([429, 3])
    expect(outcomes).toEqual([
      ['partial', false],
      ['a', true],
    ])
  })

  it('undoes the partial work of a step that fails after the first failure too', async () => {
    const rec = new Recorder()
    const first = fakeStep(rec, 'first', { until: () => rec.when('late', 'start'), fail: new Error('first') })
    const late = partialStep(rec, 'late', new Error('late'), { until: () => rec.when('first', 'fail') })
    const err = await runExpectingFailure(defineWorkflow('wf', [first, late]).run(undefined))
    expect(err.report.failedStep).toBe('first')
    expect(err.report.alsoFailed.map((f) => [f.step, (f.error as Error).message])).toEqual([['late', 'late']])
    expect(err.report.rolledBack).toEqual(['late'])
  })

  it('undoes nothing of a step that fails with no compensation', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const nothing = defineStep({
      id: 'nothing',
      dependsOn: [a],
      invoke: () => Promise.reject(new StepFailedError(new ConflictError('before any change'))),
      compensate: (input: string) => Promise.resolve(rec.log('nothing', 'compensate', input)),
    })
    const err = await runExpectingFailure(defineWorkflow('wf', [a, nothing]).run(undefined))
    expect(rec.steps('compensate')).toEqual(['a'])
    expect(err.report.rolledBack).toEqual(['a'])
    expect(err.report.nothingToUndo).toEqual([])
    expect(err.details?.error).toBe('before any change')
    expect(err.status).toBe(409)
  })
})

describe('failure injection at each step of a service-create shaped workflow', () => {
  // cluster, role, log group, credentials and registry are independent; the task definition needs role,
  // log group and credentials; the service needs the task definition and the registry. Each step waits
  // for events of the others, so each run has one order:
  // - a failing root other than the registry fails once every root has started, and the other roots
  //   end only after it failed;
  // - the registry, the slow one, is still running when the task definition ends or fails: it ends
  //   (or fails, when it is the failing step) only after that.
  const steps = ['cluster', 'role', 'log-group', 'credentials', 'registry', 'taskdef', 'service']
  const roots = ['cluster', 'role', 'log-group', 'credentials', 'registry']

  function until(rec: Recorder, id: string, failing: string): (() => Promise<unknown>) | undefined {
    if (failing === 'registry') return id === 'registry' ? () => rec.when('taskdef', 'end') : undefined
    if (roots.includes(failing)) {
      if (id === failing) return () => Promise.all(roots.map((r) => rec.when(r, 'start')))
      return roots.includes(id) ? () => rec.when(failing, 'fail') : undefined
    }
    if (id === 'registry') return failing === 'taskdef' ? () => rec.when('taskdef', 'fail') : () => rec.when('taskdef', 'end')
    return undefined
  }

  function build(rec: Recorder, failing: string) {
    const mk = (id: string, deps: Step<unknown, unknown, unknown>[] = []) =>
      fakeStep(rec, id, { until: until(rec, id, failing), deps, fail: id === failing ? new Error(`${id} failed`) : undefined })
    const [cluster, role, logGroup, credentials, registry] = roots.map((id) => mk(id))
    const taskdef = mk('taskdef', [role!, logGroup!, credentials!])
    const service = mk('service', [taskdef, registry!])
    return defineWorkflow('create-service', [cluster!, role!, logGroup!, credentials!, registry!, taskdef, service])
  }

  const expectedCompleted: Record<string, string[]> = {
    // A root fails while every other root is running: they all settle successfully and are undone.
    ...Object.fromEntries(roots.map((r) => [r, roots.filter((x) => x !== r)])),
    // The task definition completes before the slow registry fails.
    registry: ['cluster', 'role', 'log-group', 'credentials', 'taskdef'],
    // The registry is still running when the task definition fails; it finishes and is undone too.
    taskdef: roots,
    service: [...roots, 'taskdef'],
  }

  it.each(steps)('step %s fails', async (failing) => {
    const rec = new Recorder()
    const err = await runExpectingFailure(build(rec, failing).run(undefined))
    const completed = rec.steps('end')
    expect([...completed].sort()).toEqual([...expectedCompleted[failing]!].sort())
    // Exactly the completed steps were compensated, latest first; nothing else was.
    expect(rec.steps('compensate')).toEqual([...completed].reverse())
    expect(err.report.rolledBack).toEqual([...completed].reverse())
    expect(err.report.failedStep).toBe(failing)
    expect(err.report.rollbackFailures).toEqual([])
    // Nothing started after the failure: every started step either failed (just one) or completed.
    expect([...rec.steps('start')].sort()).toEqual([...completed, failing].sort())
    expect(rec.steps('fail')).toEqual([failing])
  })

  it('compensates a step that succeeds after the failure, once it has settled', async () => {
    const rec = new Recorder()
    await runExpectingFailure(build(rec, 'taskdef').run(undefined))
    expect(rec.order('taskdef', 'fail')).toBeLessThan(rec.order('registry', 'end'))
    expect(rec.order('registry', 'end')).toBeLessThan(rec.order('registry', 'compensate'))
    expect(rec.steps('compensate')[0]).toBe('registry')
  })
})

describe('hooks and abort', () => {
  it('calls the hooks for starts, successes and failures', async () => {
    const rec = new Recorder()
    const calls: string[] = []
    const hooks: WorkflowHooks = {
      onStepStart: (s) => void calls.push(`start ${s}`),
      onStepSuccess: (s, info) => void calls.push(`ok ${s} ${info.skipped}`),
      onStepFailure: (s, e) => void calls.push(`fail ${s} ${(e as Error).message}`),
      onCompensate: (s, o) => void calls.push(`undo ${s} ${o.ok}`),
    }
    const a = fakeStep(rec, 'a')
    const b = fakeStep(rec, 'b', { deps: [a], fail: new Error('nope') })
    await runExpectingFailure(defineWorkflow('wf', [a, b]).run(undefined, { hooks }))
    expect(calls).toEqual(['start a', 'ok a false', 'start b', 'fail b nope', 'undo a true'])
  })

  it('undoes a step whose success hook throws', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const hooks: WorkflowHooks = {
      onStepSuccess: () => Promise.reject(new Error('store down')),
      onStepFailure: () => {
        throw new Error('observer bug')
      },
    }
    const err = await runExpectingFailure(defineWorkflow('wf', [a]).run(undefined, { hooks }))
    expect(err.report.failedStep).toBe('a')
    expect(err.report.rolledBack).toEqual(['a'])
  })

  it('aborts running steps when another fails, and records their failure', async () => {
    const rec = new Recorder()
    let sawAbort = false
    // Waits for the abort of its signal; when none comes by the deadline it ends as if all went well.
    const waiter = defineStep({
      id: 'wait-stable',
      invoke: async (ctx) => {
        rec.log('wait-stable', 'start')
        const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))
        await within(aborted, 'the abort').then(
          () => {
            sawAbort = true
            throw ctx.signal.reason
          },
          () => undefined,
        )
        return { output: 'stable' }
      },
      noCompensation: true,
    })
    const a = fakeStep(rec, 'a')
    const failing = fakeStep(rec, 'failing', {
      until: () => Promise.all([rec.when('a', 'end'), rec.when('wait-stable', 'start')]),
      fail: new Error('boom'),
    })
    const err = await runExpectingFailure(defineWorkflow('wf', [waiter, a, failing]).run(undefined))
    expect(sawAbort).toBe(true)
    expect(err.report.failedStep).toBe('failing')
    expect(err.report.alsoFailed.map((f) => f.step)).toEqual(['wait-stable'])
    expect(err.report.rolledBack).toEqual(['a'])
  })

  it('stops on a caller abort and rolls back what completed', async () => {
    const rec = new Recorder()
    const controller = new AbortController()
    const a = fakeStep(rec, 'a')
    // b ends once the caller aborted, the signal having been sent while it ran.
    const callerAborted = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }))
    const b = fakeStep(rec, 'b', { until: () => within(callerAborted, 'the caller abort'), deps: [a] })
    const run = defineWorkflow('wf', [a, b]).run(undefined, { signal: controller.signal })
    await rec.when('b', 'start')
    controller.abort(new Error('request timed out'))
    const err = await runExpectingFailure(run)
    // b finished (it ignores the signal) and was undone; nothing started after the abort.
    expect(err.report.rolledBack).toEqual(['b', 'a'])
    expect(err.report.failedStep).toBe('b')
  })

  it('starts nothing when the signal is already aborted', async () => {
    const rec = new Recorder()
    const a = fakeStep(rec, 'a')
    const err = await runExpectingFailure(defineWorkflow('wf', [a]).run(undefined, { signal: AbortSignal.abort() }))
    expect(rec.events).toEqual([])
    expect(err.report.failedStep).toBe('a')
  })
})

describe('steps that use others without waiting for them (uses)', () => {
  /** A fake step that names `used` in its result but does not wait for it. */
  function user(rec: Recorder, id: string, used: Step<unknown, unknown, unknown>[], opts: FakeOptions = {}): Step<string, string> {
    return { ...fakeStep(rec, id, opts), uses: used }
  }

  it('starts at once, and is undone before the step it uses even when that one finished last', async () => {
    const rec = new Recorder()
    // The used step ends only after the user has ended; then a third step fails.
    const role = fakeStep(rec, 'role', { until: () => rec.when('revision', 'end') })
    const revision = user(rec, 'revision', [role])
    const boom = fakeStep(rec, 'boom', { deps: [role], fail: new Error('boom') })
    const err = await runExpectingFailure(defineWorkflow('wf', [role, revision, boom]).run(undefined))
    expect(rec.order('revision', 'start')).toBeLessThan(rec.order('role', 'end'))
    expect(err.report.rolledBack).toEqual(['revision', 'role'])
  })

  it('is undone before a used step whose own failure left partial work', async () => {
    const rec = new Recorder()
    const role = defineStep({
      id: 'role',
      invoke: async () => {
        await rec.when('revision', 'end')
        throw new StepFailedError(new ConflictError('policy refused'), { compensation: 'role-arn' })
      },
      compensate: async (arn: string) => void rec.log('role', 'compensate', arn),
    })
    const revision = user(rec, 'revision', [role])
    const other = fakeStep(rec, 'other')
    const err = await runExpectingFailure(defineWorkflow('wf', [role, revision, other]).run(undefined))
    expect(err.report.failedStep).toBe('role')
    expect(err.report.rolledBack.indexOf('revision')).toBeLessThan(err.report.rolledBack.indexOf('role'))
    expect([...err.report.rolledBack].sort()).toEqual(['other', 'revision', 'role'])
  })

  it('rejects an unknown used step', () => {
    const rec = new Recorder()
    expect(() => defineWorkflow('wf', [user(rec, 'revision', [fakeStep(rec, 'role')])])).toThrow(/"revision" uses unknown step "role"/)
  })
})

describe('reads shared by the steps of a run (once)', () => {
  it('computes a key once per run and hands every step the same answer; a new run asks again', async () => {
    let lookups = 0
    const lookUp = (ctx: StepContext<unknown>) => ctx.once('role', () => Promise.resolve(++lookups))
    const a = defineStep({ id: 'a', invoke: async (ctx: StepContext<unknown>) => ({ output: await lookUp(ctx) }), noCompensation: true })
    const b = defineStep({ id: 'b', invoke: async (ctx: StepContext<unknown>) => ({ output: await lookUp(ctx) }), noCompensation: true })
    const workflow = defineWorkflow('wf', [a, b])
    const first = await workflow.run(undefined)
    expect([first.outputOf(a), first.outputOf(b)]).toEqual([1, 1])
    const second = await workflow.run(undefined)
    expect([second.outputOf(a), second.outputOf(b)]).toEqual([2, 2])
  })
})

describe('graph validation', () => {
  const rec = new Recorder()
  const a = fakeStep(rec, 'a')
  const b = fakeStep(rec, 'b', { deps: [a] })

  it('rejects duplicate ids', () => {
    expect(() => defineWorkflow('wf', [a, b, fakeStep(rec, 'a')])).toThrow(/duplicate step id "a"/)
  })

  it('rejects unknown dependencies, by ref or id', () => {
    expect(() => defineWorkflow('wf', [b])).toThrow(/"b" depends on unknown step "a"/)
    const byId = defineStep({ id: 'c', dependsOn: ['nope'], invoke: () => Promise.resolve({ output: 1 }), noCompensation: true })
    expect(() => defineWorkflow('wf', [byId])).toThrow(WorkflowDefinitionError)
  })

  it('rejects cycles and names them', () => {
    const x = fakeStep(rec, 'x', { deps: [fakeStep(rec, 'z')] })
    const y = fakeStep(rec, 'y', { deps: [x] })
    const z = fakeStep(rec, 'z', { deps: [y] })
    expect(() => defineWorkflow('wf', [a, x, y, z])).toThrow(/cycle x -> z -> y -> x/)
    const self = fakeStep(rec, 'self', { deps: [fakeStep(rec, 'self')] })
    expect(() => defineWorkflow('wf', [self])).toThrow(/cycle self -> self/)
  })
})
