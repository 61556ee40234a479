import Type from 'typebox'

export const MAX_PAGE_SIZE = 1000

/** `limit` and `next` of every paged list (documented in OpenAPI; the paging helper checks them). */
export const pagingQueryProperties = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, description: `items per page, 1..${MAX_PAGE_SIZE}; with it (or next) the answer is one page` }),
  ),
  next: Type.Optional(Type.String({ description: "the previous page's X-Next-Token; only valid with the same query" })),
}
