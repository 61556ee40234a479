/**
 * SDK output → response JSON in the original service's format: member names as Go field names
 * (first letter upper-cased: `taskArn` → `TaskArn`), map keys untouched, timestamps as RFC 3339
 * strings, blobs as base64. Keys the shape does not know (such as the SDK's `$metadata`) are dropped.
 */
import { toBase64, epochToDate, toIsoString } from './scalars.js'
import { toNode } from './sdk-schema.js'
import type { ShapeInput } from './sdk-schema.js'
import type { ListShape, MapShape, Node, ScalarShape, StructShape } from './shape.js'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export interface EncodeOptions {
  /**
   * Emit every member of every structure, `null` when unset, as the Go service did (its sample task
   * response has `"Attributes": null`). Default: omit unset members.
   */
  readonly fillNull?: boolean
}

export function encode(shape: ShapeInput, value: unknown, options: EncodeOptions = {}): JsonValue {
  return encodeValue(toNode(shape), value, options.fillNull === true)
}

type JsonObject = { [key: string]: JsonValue }

function encodeValue(node: Node, value: unknown, fillNull: boolean): JsonValue {
  if (value === null || value === undefined) return null
  switch (node.kind) {
    case 'struct':
      return encodeStruct(node, value, fillNull)
    case 'list':
      return encodeList(node, value, fillNull)
    case 'map':
      return encodeMap(node, value, fillNull)
    case 'scalar':
      return encodeScalar(node, value)
  }
}

function encodeStruct(node: StructShape, value: unknown, fillNull: boolean): JsonValue {
  if (!isObject(value)) return toJson(value)
  const out: JsonObject = {}
  // Schema order, not input order: deterministic, and matches the Go struct field order.
  for (const member of node.members) {
    const raw = Object.hasOwn(value, member.name) ? value[member.name] : undefined
    if (raw === undefined || raw === null) {
      if (fillNull) out[member.jsonName] = null
      continue
    }
    out[member.jsonName] = encodeValue(member.shape, raw, fillNull)
  }
  return out
}

function encodeList(node: ListShape, value: unknown, fillNull: boolean): JsonValue {
  if (!Array.isArray(value)) return toJson(value)
  const item = node.item
  return value.map((entry: unknown) => encodeValue(item, entry, fillNull))
}

function encodeMap(node: MapShape, value: unknown, fillNull: boolean): JsonValue {
  if (!isObject(value)) return toJson(value)
  const valueShape = node.value
  const out: JsonObject = {}
  for (const key of Object.keys(value)) setKey(out, key, encodeValue(valueShape, value[key], fillNull))
  return out
}

function encodeScalar(node: ScalarShape, value: unknown): JsonValue {
  switch (node.scalar) {
    case 'timestamp':
      if (value instanceof Date) return toIsoString(value)
      if (typeof value === 'number') {
        const date = epochToDate(value)
        return date === undefined ? null : toIsoString(date)
      }
      return toJson(value)
    case 'string':
    case 'number':
    case 'boolean':
    case 'blob':
    case 'bigint':
    case 'document':
      return toJson(value)
  }
}

/**
 * Generic conversion for documents and for values that do not match their shape (the SDK should not
 * produce those, but a response must still serialize).
 */
function toJson(value: unknown): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
    case 'object':
      if (value === null) return null
      if (value instanceof Date) return toIsoString(value)
      if (value instanceof Uint8Array) return toBase64(value)
      if (Array.isArray(value)) return value.map(toJson)
      return objectToJson(value as Record<string, unknown>)
    default:
      return null // undefined, functions, symbols: not representable
  }
}

function objectToJson(value: Record<string, unknown>): JsonObject {
  const out: JsonObject = {}
  for (const key of Object.keys(value)) setKey(out, key, toJson(value[key]))
  return out
}

/** Keys here come from data, not the schema: a `__proto__` key must stay a plain own property. */
function setKey(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    target[key] = value
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
