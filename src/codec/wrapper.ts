/**
 * Builders for our own (non-AWS) bodies whose members are SDK shapes, for example the service-create
 * body `{ cluster: CreateClusterRequest, taskDefinition: ..., credentials: map<container, CreateSecretRequest> }`.
 * They compile to the same nodes as SDK schemas, so the same rules apply: member names match
 * case-insensitively, map keys stay verbatim, responses get PascalCase names.
 */
import { ListShape, MapShape, StructShape } from './shape.js'
import type { Shape, ShapeType } from './shape.js'
import { scalarShape, sdkNode, toNode } from './sdk-schema.js'
import type { SdkSchema, ShapeInput } from './sdk-schema.js'

/** Decoded type of a member: typed for our shapes, `unknown` for raw SDK schemas (use `sdkShape<T>`). */
type MemberType<S> = S extends SdkSchema ? unknown : ShapeType<S>

export type StructType<M extends Record<string, ShapeInput>> = { [K in keyof M]?: MemberType<M[K]> }

/**
 * Gives an SDK schema its TypeScript type, e.g.
 * `sdkShape<RegisterTaskDefinitionCommandInput>(RegisterTaskDefinitionRequest$)`. No run-time check:
 * the type comes from the same generated client as the schema. A thunk (`() => sdk().X$`, what
 * src/aws/sdk exports) is called on the shape's first use, not here.
 */
export function sdkShape<T>(schema: SdkSchema): Shape<T> {
  return sdkNode(schema)
}

/**
 * A wrapper object. Declare members with the spelling you want in the decoded value (camelCase is
 * natural in TS); requests may use any casing, responses get the name with its first letter upper-cased.
 */
export function struct<M extends Record<string, ShapeInput>>(members: M, name = 'wrapper'): Shape<StructType<M>> {
  const entries = Object.entries(members)
  // Checked here, at declaration, so a bad wrapper fails at module load rather than on a request.
  const seen = new Set<string>()
  for (const [memberName] of entries) {
    const lower = memberName.toLowerCase()
    if (memberName === '__proto__' || memberName.length === 0 || seen.has(lower)) {
      throw new TypeError(`codec: invalid or duplicate member name "${memberName}" in ${name}`)
    }
    seen.add(lower)
  }
  // Members resolve lazily so a wrapper can be declared at module load without walking SDK schemas.
  return new StructShape(name, () => entries.map(([memberName, shape]) => [memberName, toNode(shape)] as const))
}

export function listOf<S extends ShapeInput>(item: S): Shape<Array<MemberType<S>>> {
  return new ListShape(() => toNode(item))
}

/** A map whose keys are kept verbatim (e.g. container names) and whose values have `value`'s shape. */
export function mapOf<S extends ShapeInput>(value: S): Shape<Record<string, MemberType<S>>> {
  return new MapShape(() => toNode(value))
}

/** Plain scalar members of wrapper bodies (`forceNewDeployment: scalar.boolean`). */
export const scalar: {
  readonly string: Shape<string>
  readonly number: Shape<number>
  readonly boolean: Shape<boolean>
  readonly timestamp: Shape<Date>
  readonly blob: Shape<Uint8Array>
  readonly document: Shape<unknown>
} = {
  string: scalarShape('string'),
  number: scalarShape('number'),
  boolean: scalarShape('boolean'),
  timestamp: scalarShape('timestamp'),
  blob: scalarShape('blob'),
  document: scalarShape('document'),
}
