/**
 * JSON Schemas of the codec's shapes, for the OpenAPI document: the same SDK shape schemas (and our
 * wrappers over them) the codec decodes requests with, so the document cannot drift from what the
 * routes take.
 *
 * - Members are named as responses name them (PascalCase); since requests match keys
 *   case-insensitively, each member is also given as a case-insensitive `patternProperties` entry,
 *   so a body in any key case validates against the member's schema, not just passes as unknown.
 * - Unknown keys are allowed (the codec ignores and reports them), so structures stay open.
 * - The members AWS requires are listed in `x-aws-required`, not `required`: several routes fill a
 *   required member themselves (RunTask's task definition comes from the path), and a key in
 *   another case would not satisfy `required`.
 * - Structures become named components (`ecs.ContainerDefinition`), referenced with `$ref`, which
 *   also carries the recursive ones.
 */
import type { Node, StructShape } from './shape.js'
import type { ShapeInput } from './sdk-schema.js'
import { toNode } from './sdk-schema.js'

export type JsonSchema = Record<string, unknown>

export interface JsonSchemaOptions {
  /** Enum values of string members, by `<namespace>#<Structure>.<member>` (see `enumKey`). */
  enums?: Readonly<Record<string, readonly string[]>>
  /** Prefix of component references; OpenAPI's by default. */
  refPrefix?: string
}

/** Where a member's enum values are looked up. */
export function enumKey(struct: StructShape, member: string): string {
  return `${struct.namespace}#${struct.name}.${member}`
}

/** The component name of a structure: `ecs.ContainerDefinition`, or a wrapper's own name. */
export function componentName(struct: StructShape): string {
  const ns = struct.namespace.replace(/^com\.amazonaws\./, '')
  return ns ? `${ns}.${struct.name}` : struct.name
}

/**
 * Collects the JSON Schemas of `roots` and every structure they reach. Answers each root's schema
 * (a `$ref` for structures) and the components they refer to.
 */
export class JsonSchemaBuilder {
  readonly components: Record<string, JsonSchema> = {}
  readonly #names = new Map<StructShape, string>()
  readonly #enums: Readonly<Record<string, readonly string[]>>
  readonly #refPrefix: string

  constructor(options: JsonSchemaOptions = {}) {
    this.#enums = options.enums ?? {}
    this.#refPrefix = options.refPrefix ?? '#/components/schemas/'
  }

  schemaOf(shape: ShapeInput): JsonSchema {
    return this.#node(toNode(shape), undefined)
  }

  #node(node: Node, enumValues: readonly string[] | undefined): JsonSchema {
    switch (node.kind) {
      case 'struct':
        return { $ref: this.#refPrefix + this.#struct(node) }
      case 'list':
        return { type: 'array', items: this.#node(node.item, enumValues) }
      case 'map':
        return { type: 'object', additionalProperties: this.#node(node.value, undefined), description: 'keys are kept as sent' }
      case 'scalar':
        switch (node.scalar) {
          case 'string':
            return enumValues ? { type: 'string', enum: [...enumValues] } : { type: 'string' }
          case 'number':
            return { type: 'number' }
          case 'boolean':
            return { type: 'boolean' }
          case 'timestamp':
            return {
              anyOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }],
              description: 'an RFC 3339 time or epoch seconds/milliseconds',
            }
          case 'blob':
            return { type: 'string', contentEncoding: 'base64' }
          case 'bigint':
            return { type: 'integer' }
          case 'document':
            return {}
        }
    }
  }

  /** Registers the structure (once; recursion meets the name already taken) and answers its name. */
  #struct(struct: StructShape): string {
    const known = this.#names.get(struct)
    if (known) return known
    let name = componentName(struct)
    // Two different shapes of one name (possible only among our wrappers): keep both apart.
    for (let i = 2; name in this.components; i++) name = `${componentName(struct)}${i}`
    this.#names.set(struct, name)
    this.components[name] = {}
    const properties: Record<string, JsonSchema> = {}
    const patternProperties: Record<string, JsonSchema> = {}
    for (const member of struct.members) {
      const schema = this.#node(member.shape, this.#enums[enumKey(struct, member.name)])
      properties[member.jsonName] = schema
      patternProperties[caseInsensitive(member.name)] = schema
    }
    const required = struct.members.slice(0, struct.requiredCount).map((m) => m.jsonName)
    this.components[name] = {
      type: 'object',
      ...(struct.namespace ? { description: `AWS ${struct.name}; keys in any case` } : {}),
      properties,
      patternProperties,
      additionalProperties: true,
      ...(required.length > 0 ? { 'x-aws-required': required } : {}),
    }
    return name
  }
}

/** `^[cC][pP][uU]$`: the member's name in any case (JSON Schema patterns have no flags). */
function caseInsensitive(name: string): string {
  const chars = [...name].map((c) => {
    const lower = c.toLowerCase()
    const upper = c.toUpperCase()
    if (lower !== upper) return `[${lower}${upper}]`
    return /[A-Za-z0-9_]/.test(c) ? c : `\\${c}`
  })
  return `^${chars.join('')}$`
}
