/**
 * Answers kept for `Idempotency-Key` replays. A key is first claimed (`running`) by the request
 * that runs; its answer is then kept (`done`) for the configured time, or the claim is given up
 * (the answer was not worth keeping), so a later retry runs again.
 */

/** What a replay sends: the first answer's status, the headers that matter and the body as sent. */
export interface KeptAnswer {
  status: number
  headers: Record<string, string>
  /** The body as sent, base64 (it may be text or JSON; bytes are kept exactly). */
  body: string
}

export type IdempotencyClaim =
  /** This caller holds the key now and runs the request. */
  | { state: 'claimed' }
  /** Another request with this key is still running. */
  | { state: 'running'; fingerprint: string }
  /** The key's request finished; its answer is kept. */
  | { state: 'done'; fingerprint: string; answer: KeptAnswer }

/** A claim left by a process that died mid-request frees itself after this long. */
export const RUNNING_CLAIM_TTL_MS = 10 * 60_000
