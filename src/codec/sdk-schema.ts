/**
 * The only module that knows the AWS SDK v3 static schema format (`XxxRequest$` exports of every
 * client; see @smithy/types dist-types/schema/static-schemas.d.ts and sentinels.d.ts). It turns
 * those schemas into the codec's nodes (shape.ts), once per schema object.
 *
 * Format, as generated in the pinned clients:
 * - a number is a simple type; bit 64 means "list of", bit 128 "map of" that simple type;
 * - `[0, ns, name, traits, ref]` is a named simple type (e.g. a sensitive string);
 * - `[1, ns, name, traits, item]` a list, `[2, ns, name, traits, key, value]` a map;
 * - `[3|4|-3, ns, name, traits, memberNames, memberRefs, requiredCount?]` a structure, union or error;
 * - a member ref is a schema, a thunk `() => schema`, or `[ref, memberTraits]`.
 */
import { DeferredShape, ListShape, MapShape, ScalarShape, StructShape, isNode } from './shape.js'
import type { Node, ScalarKind, Shape } from './shape.js'

/** An SDK static schema as exported by `@aws-sdk/client-*` (e.g. `RegisterTaskDefinitionRequest$`). */
export type SdkSchema = number | readonly unknown[] | (() => unknown)

/** Either one of our nodes or an SDK schema: what every public codec function accepts. */
export type ShapeInput = Shape<unknown> | SdkSchema

const LIST_BIT = 0b0100_0000
const MAP_BIT = 0b1000_0000
const BASE_MASK = 0b0011_1111

const SCALAR_BY_SENTINEL: ReadonlyMap<number, ScalarKind> = new Map<number, ScalarKind>([
  [0, 'string'],
  [1, 'number'],
  [2, 'boolean'],
  [4, 'timestamp'], // default format
  [5, 'timestamp'], // date-time
  [6, 'timestamp'], // http-date
  [7, 'timestamp'], // epoch-seconds
  [15, 'document'],
  [17, 'bigint'],
  // bigDecimal has no lossless JSON number form and none of our clients use it: pass it through.
  [19, 'document'],
  [21, 'blob'],
  [42, 'blob'], // streaming blob
])

const scalarCache = new Map<ScalarKind, ScalarShape>()
const sentinelCache = new Map<number, Node>()
const staticCache = new WeakMap<object, Node>()

export function scalarShape(kind: ScalarKind): ScalarShape {
  let shape = scalarCache.get(kind)
  if (shape === undefined) {
    shape = new ScalarShape(kind)
    scalarCache.set(kind, shape)
  }
  return shape
}

/** Resolves anything the public API accepts to a node. Cheap after the first call per schema. */
export function toNode(input: ShapeInput): Node {
  if (input instanceof DeferredShape) return input.node
  return isNode(input) ? input : fromSdkRef(input)
}

/** A node for `schema`; from a thunk, one that calls it only when first walked (shape.ts, DeferredShape). */
export function sdkNode(schema: SdkSchema): Node | DeferredShape {
  return typeof schema === 'function' ? new DeferredShape(() => fromSdkRef(schema)) : fromSdkRef(schema)
}

function fromSdkRef(ref: unknown): Node {
  const schema: unknown = typeof ref === 'function' ? (ref as () => unknown)() : ref
  if (typeof schema === 'number') return fromSentinel(schema)
  if (Array.isArray(schema)) {
    // `[ref, memberTraits]`: the traits (idempotency token, sensitive, ...) do not affect JSON mapping.
    if (schema.length === 2) return fromSdkRef(schema[0])
    let node = staticCache.get(schema)
    if (node === undefined) {
      node = fromStatic(schema)
      staticCache.set(schema, node)
    }
    return node
  }
  if (schema === 'unit') return UNIT
  throw new TypeError(`codec: unsupported SDK schema ${describe(schema)}`)
}

const UNIT = new StructShape('Unit', () => [])

function fromSentinel(sentinel: number): Node {
  let node = sentinelCache.get(sentinel)
  if (node === undefined) {
    const base = sentinel & BASE_MASK
    if (sentinel & MAP_BIT) node = new MapShape(() => fromSentinel(base))
    else if (sentinel & LIST_BIT) node = new ListShape(() => fromSentinel(base))
    // An unknown future sentinel is passed through untouched: AWS validates it, and a request should
    // not fail here just because the SDK grew a new simple type.
    else node = scalarShape(SCALAR_BY_SENTINEL.get(base) ?? 'document')
    sentinelCache.set(sentinel, node)
  }
  return node
}

function fromStatic(schema: readonly unknown[]): Node {
  const [id, , name] = schema
  const shapeName = typeof name === 'string' ? name : 'anonymous'
  switch (id) {
    case 0:
      return fromSdkRef(schema[4])
    case 1:
      return new ListShape(() => fromSdkRef(schema[4]))
    case 2:
      return new MapShape(() => fromSdkRef(schema[5]))
    case 3: // structure
    case 4: // union: decoded like a structure, AWS enforces "exactly one member"
    case -3: // error
      return new StructShape(
        shapeName,
        () => structMembers(shapeName, schema[4], schema[5]),
        typeof schema[1] === 'string' ? schema[1] : '',
        typeof schema[6] === 'number' ? schema[6] : 0,
      )
    default:
      throw new TypeError(`codec: ${shapeName} is not a data shape (static schema id ${describe(id)})`)
  }
}

function structMembers(shapeName: string, names: unknown, refs: unknown): Array<readonly [string, Node]> {
  if (!Array.isArray(names) || !Array.isArray(refs) || names.length !== refs.length) {
    throw new TypeError(`codec: malformed SDK structure schema ${shapeName}`)
  }
  return names.map((memberName: unknown, i): readonly [string, Node] => {
    if (typeof memberName !== 'string') throw new TypeError(`codec: malformed member name in ${shapeName}`)
    return [memberName, fromSdkRef(refs[i])]
  })
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'function'
  try {
    return JSON.stringify(value)?.slice(0, 80) ?? typeof value
  } catch {
    return typeof value
  }
}
