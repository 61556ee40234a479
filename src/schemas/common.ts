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

/** Problem answers for more status codes than `errorResponses` (409, 502, ...). */
export function problems(...codes: number[]): Record<number, ReturnType<typeof Type.Ref<'Problem'>>> {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('Problem')]))
}

/** A route's answers: `responses`, the common problems, 403 (another org's tags) and `more` problem codes. */
export function withErrors<R extends object>(responses: R, ...more: number[]) {
  return { ...errorResponses, ...problems(403, ...more), ...responses }
}
