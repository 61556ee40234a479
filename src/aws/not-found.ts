import { NotFoundError } from '../core/errors.js'

/** The call's answer, or undefined when it says the resource is not there (a NotFoundError). */
export async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call
  } catch (err) {
    if (err instanceof NotFoundError) return undefined
    throw err
  }
}

/** The call's list, or `[]` when it says the resource is not there. */
export async function orEmpty<T>(call: Promise<T[]>): Promise<T[]> {
  return (await orUndefined(call)) ?? []
}
