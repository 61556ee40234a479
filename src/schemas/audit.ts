import Type from 'typebox'
import { pagingQueryProperties } from './paging.js'
import { AccountParams, errorResponses } from './common.js'

const Str = (description: string) => Type.Optional(Type.String({ description }))

export const AuditRecordSchema = Type.Object(
  {
    Id: Type.String({ description: 'time-ordered record id' }),
    Time: Type.String({ format: 'date-time' }),
    Kind: Type.Union([Type.Literal('request'), Type.Literal('operation')], {
      description: 'request: an HTTP change (POST, PUT, DELETE that reached its handler); operation: the end of a tracked operation',
    }),
    RequestId: Str('the X-Request-Id of the request (of the request that started the operation)'),
    TokenId: Str("the configured token used, by its position in the config's token list (token-0 is `token`); never its value"),
    User: Str('X-Forwarded-User or X-Spinup-User as the caller sent it'),
    Account: Type.String(),
    Org: Type.String(),
    Space: Str('the cluster (space) the change was in'),
    Method: Str('HTTP method'),
    Route: Type.String({ description: 'the route template, or `operation <kind>`' }),
    Target: Str('what was changed, as a path: clusters/{cluster}/services/{service}, secrets/{secret}, params/{prefix}/{param}, ...'),
    TargetArns: Type.Array(Type.String(), { description: 'ARNs of what the change made or touched, where the answer named them' }),
    Status: Type.Optional(Type.Integer({ description: 'HTTP status answered' })),
    Outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('rejected'), Type.Literal('failed')], {
      description: 'succeeded; rejected (4xx: nothing changed); failed (5xx, or a failed operation)',
    }),
    OperationId: Str('the operation the request started, or that ended'),
    OperationKind: Str('the kind of the operation that ended'),
    Result: Str('what the operation that ended came to, in its kind\'s words: a deployment\'s outcome (SUCCEEDED, FAILED, ABORTED, ...)'),
    AwsRequestIds: Type.Optional(Type.Array(Type.String(), { description: 'request ids of the AWS writes the request made (not of reads)' })),
  },
  { description: 'one change; bodies (secret and parameter values) are never recorded' },
)

export const ListAuditSchema = {
  tags: ['audit'],
  summary: 'The audit trail of changes in the account, newest first',
  description:
    'Always one page (100 records unless `limit` says otherwise), with `X-Items`, `X-Per-Page` and, when older records follow, `X-Next-Token` and `Link: <...>; rel="next"`. Records are kept for the configured retention (90 days by default).',
  params: AccountParams,
  querystring: Type.Object({
    space: Str('only changes in this cluster (space)'),
    target: Type.Optional(
      Type.String({ maxLength: 2048, description: 'a target path (matches it and what is below it, such as clusters/web) or an ARN (matches exactly)' }),
    ),
    since: Str('a duration back from now (90s, 15m, 2h, 7d) or an RFC 3339 time'),
    until: Str('a duration back from now or an RFC 3339 time'),
    ...pagingQueryProperties,
  }),
  response: {
    200: {
      ...Type.Array(AuditRecordSchema),
      headers: {
        'X-Items': Type.String({ description: 'records in this page' }),
        'X-Per-Page': Type.String({ description: 'the page size' }),
        'X-Next-Token': Type.String({ description: "the next page's token (next=...), when older records follow" }),
        Link: Type.String({ description: 'RFC 8288: <the next page>; rel="next", when older records follow' }),
      },
    },
    ...errorResponses,
    503: Type.Ref('Problem'),
  },
}
