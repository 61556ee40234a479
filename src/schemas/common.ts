import Type from 'typebox'

/** The problem+json body of every error answer. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    requestId: Type.String(),
  },
  { $id: 'Problem', additionalProperties: true, description: 'application/problem+json error body' },
)

export const AccountParams = Type.Object({ account: Type.String({ description: 'a configured account name' }) })

/** The error answers every authenticated route may give. */
export const errorResponses = {
  400: Type.Ref('Problem'),
  401: Type.Ref('Problem'),
  404: Type.Ref('Problem'),
  500: Type.Ref('Problem'),
} as const
