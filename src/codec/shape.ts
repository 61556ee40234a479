/**
 * The codec's own, normalized view of a shape. SDK static schemas (sdk-schema.ts) and our wrapper
 * bodies (wrapper.ts) both compile into these nodes, so decode/encode walk one small model only.
 *
 * Everything that points at another shape is resolved lazily and memoized: SDK schemas reference
 * each other through thunks (and can be recursive), and most shapes of a 500-shape client are never
 * touched by a request.
 */

export type ScalarKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'bigint' | 'document'

/** Phantom brand carrying the decoded TypeScript type; never present at run time. */
declare const typeTag: unique symbol

export class ScalarShape {
  readonly kind = 'scalar'
  constructor(readonly scalar: ScalarKind) {}
}

export class ListShape {
  readonly kind = 'list'
  #item: Node | undefined
  constructor(private readonly resolveItem: () => Node) {}
  get item(): Node {
    return (this.#item ??= this.resolveItem())
  }
}

export class MapShape {
  readonly kind = 'map'
  #value: Node | undefined
  constructor(private readonly resolveValue: () => Node) {}
  /** Map keys are always strings in Smithy and are kept verbatim; only values have a shape. */
  get value(): Node {
    return (this.#value ??= this.resolveValue())
  }
}

export interface StructMember {
  /** Name in the SDK (or wrapper) object, e.g. `containerDefinitions`. */
  readonly name: string
  /** Name in response JSON: the Go field name, i.e. the member name with its first letter upper-cased. */
  readonly jsonName: string
  readonly shape: Node
}

interface MemberIndex {
  readonly list: readonly StructMember[]
  /** Exact, PascalCase and lower-case spellings of every member name. */
  readonly byKey: ReadonlyMap<string, StructMember>
}

export class StructShape {
  readonly kind = 'struct'
  #index: MemberIndex | undefined
  constructor(
    readonly name: string,
    private readonly loadMembers: () => ReadonlyArray<readonly [string, Node]>,
    /** The Smithy namespace of an SDK shape (`com.amazonaws.ecs`); empty for our own wrappers. */
    readonly namespace = '',
    /** How many of the members, from the first, AWS requires (the SDK lists required members first). */
    readonly requiredCount = 0,
  ) {}

  get members(): readonly StructMember[] {
    return this.index().list
  }

  /**
   * Case-insensitive member lookup, as Go's encoding/json does. The exact and PascalCase spellings
   * are indexed too, so the common request pays no `toLowerCase()` allocation per key.
   */
  lookup(key: string): StructMember | undefined {
    const byKey = this.index().byKey
    return byKey.get(key) ?? byKey.get(key.toLowerCase())
  }

  private index(): MemberIndex {
    return (this.#index ??= buildIndex(this.name, this.loadMembers()))
  }
}

export type Node = ScalarShape | ListShape | MapShape | StructShape

/**
 * A shape declared from an SDK schema thunk (`sdkShape(() => sdk().RunTaskRequest$)`) that becomes
 * its node on first use: a body declared at module load does not load the client package with it.
 * Never part of a walked tree: `toNode` (sdk-schema.ts), through which every walker and every wrapper
 * member passes, hands out the resolved node.
 */
export class DeferredShape {
  readonly kind = 'deferred'
  #node: Node | undefined
  constructor(private readonly resolveNode: () => Node) {}
  get node(): Node {
    return (this.#node ??= this.resolveNode())
  }
}

/**
 * A shape the codec can decode into / encode from. `T` is the TypeScript type of the decoded value;
 * it only exists at compile time.
 */
export type Shape<T = unknown> = (Node | DeferredShape) & { readonly [typeTag]?: T }

/** The decoded TypeScript type of a shape (like TypeBox's `Static`). */
export type ShapeType<S> = S extends Shape<infer T> ? T : unknown

export function isNode(value: unknown): value is Node {
  return (
    value instanceof ScalarShape ||
    value instanceof StructShape ||
    value instanceof ListShape ||
    value instanceof MapShape
  )
}

function jsonNameOf(name: string): string {
  return name.length === 0 ? name : name.charAt(0).toUpperCase() + name.slice(1)
}

function buildIndex(structName: string, members: ReadonlyArray<readonly [string, Node]>): MemberIndex {
  const list: StructMember[] = []
  const byKey = new Map<string, StructMember>()
  const lowerSeen = new Set<string>()
  for (const [name, shape] of members) {
    const lower = name.toLowerCase()
    // Smithy requires member names to be unique ignoring case; a clash would make decoding ambiguous.
    if (lowerSeen.has(lower)) {
      throw new TypeError(`${structName}: members "${name}" clash when compared case-insensitively`)
    }
    lowerSeen.add(lower)
    const member: StructMember = { name, jsonName: jsonNameOf(name), shape }
    list.push(member)
    byKey.set(name, member)
    byKey.set(member.jsonName, member)
    byKey.set(lower, member)
  }
  return { list, byKey }
}
