/** Reading the served OpenAPI document in tests: fetch it, resolve references, validate against it. */
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { FastifyInstance } from 'fastify'

export type Json = Record<string, unknown>

export interface Operation {
  method: string
  path: string
  op: Json
}

export async function servedDocument(app: FastifyInstance): Promise<Json> {
  const res = await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })
  if (res.statusCode !== 200) throw new Error(`openapi.json answered ${res.statusCode}`)
  return res.json()
}

export function operations(doc: Json): Operation[] {
  const out: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      if (['get', 'put', 'post', 'delete', 'patch', 'head'].includes(method)) out.push({ method, path, op: op as Json })
    }
  }
  return out
}

/** The schema a `$ref` into the document's components points at (or the schema itself). */
export function resolve(doc: Json, schema: Json): Json {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const name = ref.replace('#/components/schemas/', '')
  return resolve(doc, ((doc.components as Json).schemas as Record<string, Json>)[name]!)
}

/** The JSON request body schema of an operation, if it takes one. */
export function bodySchema(op: Json): Json | undefined {
  const body = op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined
  return body?.content?.['application/json']?.schema
}

/** A validator of values against schemas of the document (their `$ref`s resolved in it). */
export function documentValidator(doc: Json): (schema: Json, value: unknown) => string | undefined {
  // Not strict: the document carries OpenAPI's own keywords (`x-aws-required`, `example`).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc')
  return (schema, value) => {
    const withRefs = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as Json
    const validate = ajv.compile(withRefs)
    return validate(value) ? undefined : String(ajv.errorsText(validate.errors))
  }
}
