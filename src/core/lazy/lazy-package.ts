import { createRequire } from 'node:module'

/**
 * Packages that most requests never need (the AWS SDK clients: EC2 alone adds about 40 MiB to the
 * process; the plan's diff; croner) are loaded on their first use instead of at start-up.
 * Loading is synchronous (`require`: each of them ships CommonJS, croner and diff beside their ES
 * build) because client getters and command constructors are synchronous. Node's module cache makes
 * every later load a lookup, and ES imports of the same CommonJS package elsewhere (tests) share
 * that instance. The SDK schemas the codec reads are handed out as thunks (`lazySchema`).
 */
const require = createRequire(import.meta.url)

/** A loader of `name`, loading it on the first call. */
export function lazyPackage<M extends object>(name: string): () => M {
  let loaded: M | undefined
  return () => (loaded ??= require(name) as M)
}

type Callable = (...args: unknown[]) => unknown
type Constructible = new (...args: unknown[]) => object

/**
 * A stand-in for the class or function `key` of a lazily loaded package, usable exactly as the
 * export itself (`new DescribeClustersCommand(input)`, `paginateListTasks(config, input)`,
 * `instanceof`, static members): the package loads on its first use, not on import.
 */
export function lazyExport<M extends object, K extends keyof M>(load: () => M, key: K): M[K] {
  const actual = (): Callable & Constructible => load()[key] as Callable & Constructible
  // A plain function rather than an arrow function: only those can be both called and constructed.
  const standIn = function lazyStandIn(): void {}
  const proxy = new Proxy(standIn, {
    apply: (_target, thisArg, args: unknown[]) => Reflect.apply(actual(), thisArg, args),
    construct: (_target, args: unknown[]) => Reflect.construct(actual(), args),
    get: (_target, property): unknown => Reflect.get(actual(), property),
  })
  return proxy as unknown as M[K]
}

/**
 * The static schema `key` of a lazily loaded package (`RegisterTaskDefinitionRequest$`) as a thunk,
 * which the codec accepts wherever it takes a schema and calls only when it first walks the shape:
 * declaring a body or answer shape at module load then no longer loads the package.
 */
export function lazySchema<M extends object, K extends keyof M>(load: () => M, key: K): () => M[K] {
  return () => load()[key]
}
