/**
 * Request JSON → SDK input, following the original Go service (encoding/json into aws-sdk-go
 * structs): member names match case-insensitively, map keys stay verbatim, unknown keys are
 * ignored, `null` members are treated as absent, and any type mismatch is a 400.
 */
import { InputError } from '../core/errors.js'
import { renderPath } from './json-path.js'
import type { PathSegment } from './json-path.js'
import { parseBase64, parseBigInt, parseTimestamp } from './scalars.js'
import { toNode } from './sdk-schema.js'
import type { SdkSchema, ShapeInput } from './sdk-schema.js'
import type { ListShape, MapShape, Node, ScalarShape, Shape, StructShape } from './shape.js'

export interface DecodeOptions {
  /** Path of `input` inside the request body, prefixed to reported paths (e.g. `service`). */
  readonly path?: string
}

export interface Decoded<T> {
  readonly value: T
  /** JSON paths of keys the shape does not know; they were dropped. At most `MAX_UNKNOWN_REPORTED`. */
  readonly unknownKeys: string[]
}

export const MAX_UNKNOWN_REPORTED = 100

/** Deeper than any AWS shape we use; only reachable through recursive shapes and hostile input. */
const MAX_DEPTH = 64

/** Name used in messages when the failing value is the input itself. */
const ROOT = 'body'

type JsonObject = Record<string, unknown>

/**
 * Decodes request JSON into the shape's SDK form. Throws `InputError` naming the JSON path on a type
 * mismatch; never throws anything else for any JSON input.
 */
export function decode<T>(shape: Shape<T>, input: unknown, options?: DecodeOptions): Decoded<T>
export function decode<T = unknown>(shape: SdkSchema, input: unknown, options?: DecodeOptions): Decoded<T>
export function decode(shape: ShapeInput, input: unknown, options: DecodeOptions = {}): Decoded<unknown> {
  const walker = new Decoder(options.path ?? '')
  const value = walker.value(toNode(shape), input)
  return { value, unknownKeys: walker.unknownKeys }
}

class Decoder {
  readonly unknownKeys: string[] = []
  private readonly path: PathSegment[] = []

  constructor(private readonly prefix: string) {}

  value(node: Node, input: unknown): unknown {
    switch (node.kind) {
      case 'struct':
        return this.struct(node, input)
      case 'list':
        return this.list(node, input)
      case 'map':
        return this.map(node, input)
      case 'scalar':
        return this.scalar(node, input)
    }
  }

  private struct(node: StructShape, input: unknown): JsonObject {
    const source = this.object(input)
    this.enter()
    // Output keys are member names from the schema, never client keys, so plain assignment is safe.
    const out: JsonObject = {}
    for (const key of Object.keys(source)) {
      const member = node.lookup(key)
      if (member === undefined) {
        this.reportUnknown(key)
        continue
      }
      const raw = source[key]
      if (raw === null || raw === undefined) continue // Go leaves a nil pointer: same as absent
      this.path.push(key)
      out[member.name] = this.value(member.shape, raw)
      this.path.pop()
    }
    return out
  }

  private list(node: ListShape, input: unknown): unknown[] {
    if (!Array.isArray(input)) this.fail('must be an array')
    this.enter()
    const item = node.item
    const out = new Array<unknown>(input.length)
    for (let i = 0; i < input.length; i++) {
      this.path.push(i)
      out[i] = this.present(item, input[i])
      this.path.pop()
    }
    return out
  }

  private map(node: MapShape, input: unknown): JsonObject {
    const source = this.object(input)
    this.enter()
    const valueShape = node.value
    const out: JsonObject = {}
    for (const key of Object.keys(source)) {
      // Assigning `__proto__` would replace the output's prototype instead of adding a key; no AWS
      // map legitimately uses that key, so drop and report it.
      if (key === '__proto__') {
        this.reportUnknown(key)
        continue
      }
      this.path.push(key)
      out[key] = this.present(valueShape, source[key])
      this.path.pop()
    }
    return out
  }

  /** List items and map values: `null` has no "absent" meaning there, so it is a mismatch. */
  private present(node: Node, input: unknown): unknown {
    if (input === null || input === undefined) this.fail('must not be null')
    return this.value(node, input)
  }

  private scalar(node: ScalarShape, input: unknown): unknown {
    switch (node.scalar) {
      case 'string':
        if (typeof input !== 'string') this.fail('must be a string')
        return input
      case 'number':
        if (typeof input !== 'number' || !Number.isFinite(input)) this.fail('must be a number')
        return input
      case 'boolean':
        if (typeof input !== 'boolean') this.fail('must be a boolean')
        return input
      case 'timestamp':
        return parseTimestamp(input) ?? this.fail('must be a timestamp (RFC 3339 string or epoch number)')
      case 'blob':
        return parseBase64(input) ?? this.fail('must be a base64 string')
      case 'bigint':
        return parseBigInt(input) ?? this.fail('must be an integer')
      case 'document':
        // Free-form JSON for the SDK: passed through as parsed, never merged into another object.
        return input
    }
  }

  private object(input: unknown): JsonObject {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) this.fail('must be an object')
    return input as JsonObject
  }

  /** The path stack doubles as the depth counter. */
  private enter(): void {
    if (this.path.length >= MAX_DEPTH) this.fail('is nested too deeply')
  }

  private reportUnknown(key: string): void {
    if (this.unknownKeys.length >= MAX_UNKNOWN_REPORTED) return
    this.path.push(key)
    this.unknownKeys.push(renderPath(this.prefix, this.path))
    this.path.pop()
  }

  private fail(problem: string): never {
    const path = renderPath(this.prefix, this.path)
    throw new InputError(`${path === '' ? ROOT : path} ${problem}`, { details: { path: path === '' ? ROOT : path } })
  }
}
