/**
 * The last pass over the generated OpenAPI document: what Fastify's route schemas cannot say.
 * - Request bodies of the original's routes: the JSON Schemas of the codec shapes their use cases
 *   decode with, with the seed's examples (request-bodies.ts). Validation stays as it was (open
 *   objects, the codec decides); only the document changes.
 * - Error answers are `application/problem+json` with the Problem schema.
 * - Public routes carry no security requirement.
 */
import { JsonSchemaBuilder } from '../codec/index.js'
import { requestBodyDocs } from '../schemas/request-bodies.js'
import { asRoute, responseBodyDocs, type ResponseBodyDoc } from '../schemas/response-bodies.js'
import { sdkEnums } from '../schemas/sdk-enums.generated.js'
import { isPublicPath } from './auth-plugin.js'

type Json = Record<string, unknown>

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const

/** Said once for every body of the document. */
export const CASE_NOTE =
  'Request body keys are matched case-insensitively (`clustername`, `ClusterName` and `clusterName` are one key); ' +
  'the schemas name them in PascalCase, as the answers do. Keys of maps (`Credentials` by container name, log ' +
  'options, docker labels) are kept as sent, and unknown keys are ignored. Members AWS requires are listed in ' +
  '`x-aws-required` of each structure; a route that fills one itself (the task definition of a task run) does not need it.'

interface BodySchemas {
  components: Record<string, Json>
  roots: Map<string, Json>
  answers: Map<string, (documented: Json | undefined) => Json>
}
let bodySchemas: BodySchemas | undefined

/** The bodies' schemas, built once per process (the shapes never change). */
function requestBodySchemas(): BodySchemas {
  if (!bodySchemas) {
    const builder = new JsonSchemaBuilder({ enums: sdkEnums })
    const roots = new Map(Object.entries(requestBodyDocs).map(([key, doc]) => [key, builder.schemaOf(doc.shape)]))
    const answers = new Map(Object.entries(responseBodyDocs).map(([key, doc]) => [key, answerSchema(builder, doc)]))
    bodySchemas = { components: builder.components, roots, answers }
  }
  return bodySchemas
}

/**
 * The documented schema of an answer: the shape (or a list of it), the route's own schema with the
 * named members given their shapes (the route's other members stay as the route says), or each of
 * the route's alternatives so described.
 */
function answerSchema(builder: JsonSchemaBuilder, doc: ResponseBodyDoc): (documented: Json | undefined) => Json {
  if ('alternatives' in doc) {
    const each = doc.alternatives.map((a) => (a === asRoute ? undefined : answerSchema(builder, a)))
    return (documented) => {
      const members = documented?.anyOf
      // A mismatch with the route's alternatives is a mistake in response-bodies.ts: fail the build.
      if (!Array.isArray(members) || members.length !== each.length) throw new Error('answer alternatives do not match the route schema')
      return { ...documented, anyOf: (members as Json[]).map((m, i) => each[i]?.(m) ?? m) }
    }
  }
  if ('shape' in doc) {
    const schema = builder.schemaOf(doc.shape)
    return () => (doc.list ? { type: 'array', items: schema } : schema)
  }
  const members = Object.entries(doc.members).map(([name, m]) => {
    const schema = builder.schemaOf(m.shape)
    return [name, m.nullable ? { anyOf: [schema, { type: 'null' }] } : schema] as const
  })
  const object = (documented: Json | undefined): Json => ({
    ...documented,
    type: 'object',
    properties: { ...((documented?.properties ?? {}) as Json), ...Object.fromEntries(members) },
  })
  if (!doc.list) return object
  return (documented) => ({ ...documented, type: 'array', items: object(documented?.items as Json | undefined) })
}

/**
 * A route whose 200 is one of several answers (a dry run's plan, or the answer as before) documents
 * the shapes on the route's own answer; the others are references and stay as they are.
 */
function withAnswer(documented: Json | undefined, answer: (documented: Json | undefined) => Json, doc: ResponseBodyDoc): Json {
  const members = documented?.anyOf
  if (!Array.isArray(members) || 'alternatives' in doc) return answer(documented)
  return { ...documented, anyOf: (members as Json[]).map((m) => ('$ref' in m ? m : answer(m))) }
}

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }

export function finishDocument(doc: Json): Json {
  const { components: bodyComponents, roots, answers } = requestBodySchemas()
  const info = doc.info as Json
  const before = typeof info.description === 'string' ? info.description : ''
  info.description = `${before}\n\n${CASE_NOTE}`
  const components = (doc.components ?? {}) as Json
  components.schemas = { ...(components.schemas as Json | undefined), ...bodyComponents }
  doc.components = components

  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      if (isPublicPath(path)) op.security = []
      const responses = (op.responses ?? {}) as Record<string, Json>
      for (const [status, response] of Object.entries(responses)) {
        if (status === 'default' || Number(status) >= 400) response.content = problemContent
      }
      const key = `${method.toUpperCase()} ${path}`
      for (const [status, response] of Object.entries(responses)) {
        if (!/^2\d\d$/.test(status)) continue
        const answerKey = status === '200' ? key : `${key} ${status}`
        const answer = answers.get(answerKey)
        const json = (response.content as Record<string, Json> | undefined)?.['application/json']
        if (answer && json) json.schema = withAnswer(json.schema as Json | undefined, answer, responseBodyDocs[answerKey]!)
      }
      const body = requestBodyDocs[key]
      const schema = roots.get(key)
      if (body && schema) {
        const examples = Object.fromEntries(Object.entries(body.examples).map(([name, e]) => [name, { summary: e.summary, value: e.value }]))
        op.requestBody = {
          required: true,
          description: `${body.description} Keys in any case.`,
          content: { 'application/json': { schema, ...(Object.keys(examples).length > 0 ? { examples } : {}) } },
        }
      }
    }
  }
  return doc
}
