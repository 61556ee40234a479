import Type from 'typebox'
import { errorResponses } from './common.js'

/**
 * Request and response schemas of `/{account}/params/{prefix}`. Bodies are PutParameterInput:
 * declared open here and decoded by the codec (keys in any case).
 */

const tags = ['parameters']
const Problem = Type.Ref('Problem')
const Ok = Type.String({ description: 'the text OK' })
const PutParameterBody = (description: string) => Type.Object({}, { additionalProperties: true, description })

const PrefixParams = Type.Object({
  account: Type.String({ description: 'a configured account name' }),
  prefix: Type.String({ description: 'one path level under the org: parameters are /<org>/<prefix>/<name>' }),
})
const ParamParams = Type.Object({
  account: Type.String({ description: 'a configured account name' }),
  prefix: Type.String({ description: 'one path level under the org' }),
  param: Type.String({ description: 'the name below the prefix (inner levels URL-encoded as %2F)' }),
})

export const CreateParameterSchema = {
  tags,
  summary: 'Create /<org>/<prefix>/<Name> (never overwrites; SecureString with the account key by default)',
  params: PrefixParams,
  body: PutParameterBody('a PutParameterInput, keys in any case; Name without "/", Value required'),
  response: { 200: Ok, ...errorResponses, 409: Problem },
}

export const ListParametersSchema = {
  tags,
  summary: "Names of the org's parameters under a prefix, relative to it",
  params: PrefixParams,
  response: { 200: Type.Array(Type.String()), ...errorResponses },
}

export const DeleteParametersSchema = {
  tags,
  summary: "Delete every one of the org's parameters under a prefix",
  params: PrefixParams,
  response: {
    200: Type.Object({ Message: Type.String(), Deleted: Type.Integer() }),
    ...errorResponses,
    429: Problem,
    502: Problem,
  },
}

export const ShowParameterSchema = {
  tags,
  summary: "A parameter's metadata (never its value)",
  params: ParamParams,
  response: {
    200: Type.Object({
      ARN: Type.Union([Type.String(), Type.Null()]),
      Name: Type.String(),
      Description: Type.Union([Type.String(), Type.Null()]),
      KeyId: Type.Union([Type.String(), Type.Null()]),
      Type: Type.Union([Type.String(), Type.Null()]),
      Tags: Type.Array(Type.Object({ Key: Type.String(), Value: Type.String() })),
      LastModifiedDate: Type.Union([Type.String({ description: 'e.g. 2019-10-09 15:43:44 +0000 UTC' }), Type.Null()]),
      Version: Type.Union([Type.Integer(), Type.Null()]),
    }),
    ...errorResponses,
  },
}

export const UpdateParameterSchema = {
  tags,
  summary: "Set a parameter's value (type and key kept unless given) and/or add tags",
  params: ParamParams,
  body: PutParameterBody('a PutParameterInput, keys in any case: Value and/or Tags, optionally Type, KeyId, Description'),
  response: { 200: Ok, ...errorResponses },
}

export const DeleteParameterSchema = {
  tags,
  summary: 'Delete a parameter',
  params: ParamParams,
  response: { 200: Ok, ...errorResponses },
}
