/**
 * Spellings the seed document and existing clients use, rewritten to the canonical route before
 * routing: a doubled slash (`/v1/ecs//acct/params/...`), `/cluster/{cluster}/...` for
 * `/clusters/{cluster}/...`, and `/secret/{secret}` for `/secrets/{secret}`. Doing it here keeps one
 * route per operation, one OpenAPI entry and one metrics label.
 */
export function canonicalUrl(url: string): string {
  const q = url.indexOf('?')
  let path = q === -1 ? url : url.slice(0, q)
  const query = q === -1 ? '' : url.slice(q)
  path = path.replace(/\/{2,}/g, '/')
  path = path.replace(/^(\/v1\/ecs\/[^/]+)\/cluster(?=\/)/, '$1/clusters')
  path = path.replace(/^(\/v1\/ecs\/[^/]+)\/secret(?=\/|$)/, '$1/secrets')
  return path + query
}
