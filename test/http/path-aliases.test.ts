import { describe, expect, it } from 'vitest'
import { canonicalUrl } from '../../src/http/path-aliases.js'

describe('canonicalUrl', () => {
  it.each([
    ['/v1/ecs//acct/params/p/n', '/v1/ecs/acct/params/p/n'],
    ['/v1/ecs/acct/cluster/c1/taskdefs', '/v1/ecs/acct/clusters/c1/taskdefs'],
    ['/v1/ecs/acct/clusters/c1/taskdefs', '/v1/ecs/acct/clusters/c1/taskdefs'],
    ['/v1/ecs/acct/secret/a%2Fb?x=1', '/v1/ecs/acct/secrets/a%2Fb?x=1'],
    ['/v1/ecs/acct/secrets', '/v1/ecs/acct/secrets'],
    ['/v1/ecs/acct/secretive', '/v1/ecs/acct/secretive'],
    ['/v1/ecs/acct/params/x?q=a//b', '/v1/ecs/acct/params/x?q=a//b'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected)
  })
})
