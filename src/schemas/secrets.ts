import Type from 'typebox'
import { errorResponses } from './common.js'

/**
 * Request and response schemas of `/{account}/secrets`. Bodies are AWS shapes: declared open here
 * and decoded by the use cases with the codec (keys in any case; `domain/secrets/bodies.ts`).
 */

const tags = ['secrets']
const Problem = Type.Ref('Problem')
const AwsObject = (description: string) => Type.Object({}, { additionalProperties: true, description })

const AccountParams = Type.Object({ account: Type.String({ description: 'a configured account name' }) })
const SecretParams = Type.Object({
  account: Type.String({ description: 'a configured account name' }),
  secret: Type.String({ description: 'a secret name (URL-encode "/" as %2F) or ARN' }),
})

export const ListSecretsSchema = {
  tags,
  summary: "ARNs of the org's secrets, optionally only those carrying every given tag (`?key=value`)",
  params: AccountParams,
  querystring: Type.Object({}, { additionalProperties: true, description: 'tag filters: key=value, exact match' }),
  response: { 200: Type.Array(Type.String()), ...errorResponses },
}

export const CreateSecretSchema = {
  tags,
  summary: 'Create a secret of the org (tagged spinup:org)',
  params: AccountParams,
  body: AwsObject('a Secrets Manager CreateSecretInput, keys in any case; exactly one of SecretString or SecretBinary (base64)'),
  response: { 200: AwsObject('CreateSecretOutput: ARN, Name, VersionId'), ...errorResponses, 403: Problem, 409: Problem },
}

export const ShowSecretSchema = {
  tags,
  summary: "A secret's metadata (never its value)",
  params: SecretParams,
  response: { 200: AwsObject('DescribeSecretOutput'), ...errorResponses },
}

export const UpdateSecretSchema = {
  tags,
  summary: "Add or overwrite a secret's tags and/or store a new string value as its current version",
  params: SecretParams,
  body: AwsObject('{"Secret": "new value", "Tags": [{"Key", "Value"}]}, keys in any case'),
  response: {
    200: AwsObject('PutSecretValueOutput: ARN, Name, VersionId, VersionStages; an empty body when only tags changed'),
    ...errorResponses,
    409: Problem,
  },
}

export const DeleteSecretSchema = {
  tags,
  summary: 'Delete a secret after a recovery window, or at once',
  params: SecretParams,
  querystring: Type.Object({
    window: Type.Optional(
      Type.String({ description: '0: delete at once, without recovery; 7 to 30: days it stays recoverable (default 7)' }),
    ),
  }),
  response: { 200: AwsObject('DeleteSecretOutput: ARN, DeletionDate, Name'), ...errorResponses, 409: Problem },
}
