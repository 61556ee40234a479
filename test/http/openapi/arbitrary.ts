/**
 * fast-check arbitraries of JSON values from the document's JSON Schemas (the subset the document
 * uses: $ref, object, array, string, number, integer, boolean, enum, anyOf, the empty schema), for
 * fuzzing routes from their documented bodies. Recursive structures stop at a depth; every member is
 * optional, as the schemas have no `required`, and the keys come in random case, as clients may send.
 */
import fc from 'fast-check'
import { resolve, type Json } from './document.js'

const MAX_DEPTH = 4

const randomCase = (key: string): fc.Arbitrary<string> =>
  fc.constantFrom(key, key.toLowerCase(), key.charAt(0).toLowerCase() + key.slice(1), key.toUpperCase())

export function arbitraryOf(doc: Json, schema: Json, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema)
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]))
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Json[]).map((x) => arbitraryOf(doc, x, depth)))
  switch (s.type) {
    case 'string':
      return fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'web', 'nginx:alpine', 'arn:aws:ecs:us-east-1:123456789012:cluster/x'))
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
    case 'integer':
      return fc.integer({ min: -5, max: 5000 })
    case 'boolean':
      return fc.boolean()
    case 'array':
      if (depth >= MAX_DEPTH) return fc.constant([])
      return fc.array(arbitraryOf(doc, s.items as Json, depth + 1), { maxLength: 3 })
    case 'object': {
      if (depth >= MAX_DEPTH) return fc.constant({})
      const properties = Object.entries((s.properties ?? {}) as Record<string, Json>)
      if (properties.length === 0) {
        const values = typeof s.additionalProperties === 'object' ? arbitraryOf(doc, s.additionalProperties as Json, depth + 1) : fc.string()
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), values, { maxKeys: 3 })
      }
      // A few members at a time, each under a key in some case.
      return fc
        .subarray(properties, { maxLength: Math.min(5, properties.length) })
        .chain((chosen) =>
          fc.tuple(...chosen.map(([key, value]) => fc.tuple(randomCase(key), arbitraryOf(doc, value, depth + 1)))),
        )
        .map((entries) => Object.fromEntries(entries))
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}
