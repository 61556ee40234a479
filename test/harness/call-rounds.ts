/**
 * The shape of a request's AWS call graph, without a clock: every call of the attached clients is
 * held and let go in rounds, each round once the previous one has finished and the app has started
 * all it could start after it. A call thus lands in the round of its depth in the call graph (one more
 * than the deepest call it waited for), as if every call took the same time, and the number of rounds
 * is the length of the critical path.
 */

interface Stack {
  middlewareStack: {
    add(
      mw: (next: (args: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; priority: 'high'; name: string },
    ): void
  }
}

/** Macrotasks without a new call before a round is let go (see #queueCheck). */
const QUIET_TURNS = 8

/** How a held call is named in the rounds: by default its operation. */
export type CallLabel = (operation: string, input: unknown) => string

export class CallRounds {
  /** The labels of the calls of each round, sorted. */
  readonly rounds: string[][] = []
  #waiting: Array<{ label: string; go: () => void }> = []
  #inFlight = 0
  #checkQueued = false

  /** Holds every call of `client` until its round. */
  attach(client: unknown, label: CallLabel = (operation) => operation): void {
    ;(client as Stack).middlewareStack.add(
      (next, ctx) => async (args) => {
        const operation = (ctx.commandName ?? '').replace(/Command$/, '')
        await new Promise<void>((go) => {
          this.#waiting.push({ label: label(operation, (args as { input: unknown }).input), go })
          this.#queueCheck()
        })
        try {
          return await next(args)
        } finally {
          this.#inFlight--
          this.#queueCheck()
        }
      },
      { step: 'initialize', priority: 'high', name: 'rounds' },
    )
  }

  // Released once no new call has joined for QUIET_TURNS macrotasks in a row, so every call that
  // the last finished one made possible has been started: the app starts dependent calls in promise
  // continuations, without waiting for I/O, and a workflow starts the steps that become ready
  // together one macrotask apart (a step making no call leaves its turn quiet). Waiting longer
  // cannot merge two rounds: a call of the next round waits for this one's calls to finish.
  #queueCheck(): void {
    if (this.#checkQueued) return
    this.#checkQueued = true
    let seen = -1
    let quiet = 0
    const check = (): void => {
      if (this.#inFlight > 0 || this.#waiting.length === 0) {
        this.#checkQueued = false
        return
      }
      quiet = this.#waiting.length === seen ? quiet + 1 : 0
      seen = this.#waiting.length
      if (quiet < QUIET_TURNS) {
        setImmediate(check)
        return
      }
      this.#checkQueued = false
      const round = this.#waiting.splice(0)
      this.#inFlight = round.length
      this.rounds.push(round.map((c) => c.label).sort())
      for (const c of round) c.go()
    }
    setImmediate(check)
  }
}
