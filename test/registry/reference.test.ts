import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import { parseImageReference } from '../../src/registry/reference.js'

const D = `sha256:${'a'.repeat(64)}`

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io', 'registry-1.docker.io', 'library/nginx', '1.25', 'docker.io/library/nginx:1.25'],
    ['library/nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', 'docker.io/library/nginx:latest'],
    ['index.docker.io/nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', 'docker.io/library/nginx:latest'],
    ['docker.io/team/app', 'docker.io', 'registry-1.docker.io', 'team/app', 'latest', 'docker.io/team/app:latest'],
    ['team/app:v1', 'docker.io', 'registry-1.docker.io', 'team/app', 'v1', 'docker.io/team/app:v1'],
    // a domain written out is kept as given, as Docker does (no library/ prefix)
    ['registry-1.docker.io/library/nginx', 'registry-1.docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', 'registry-1.docker.io/library/nginx:latest'],
    ['quay.io/coreos/etcd:v3.3.17', 'quay.io', 'quay.io', 'coreos/etcd', 'v3.3.17', 'quay.io/coreos/etcd:v3.3.17'],
    ['quay.io/org/app:tag', 'quay.io', 'quay.io', 'org/app', 'tag', 'quay.io/org/app:tag'],
    ['registry.example:5000/team/app:tag', 'registry.example:5000', 'registry.example:5000', 'team/app', 'tag', 'registry.example:5000/team/app:tag'],
    ['localhost/app', 'localhost', 'localhost', 'app', 'latest', 'localhost/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000', 'localhost:5000', 'app', '1', 'localhost:5000/app:1'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000', '127.0.0.1:5000', 'team/app', 'latest', '127.0.0.1:5000/team/app:latest'],
    ['[::1]:5000/app:1', '[::1]:5000', '[::1]:5000', 'app', '1', '[::1]:5000/app:1'],
    // an upper-case first element can only be a domain (repository names are lower case)
    ['Registry/app', 'Registry', 'Registry', 'app', 'latest', 'Registry/app:latest'],
    ['a__b/c-d--e/f.g_h:Tag_1.x-y', 'docker.io', 'registry-1.docker.io', 'a__b/c-d--e/f.g_h', 'Tag_1.x-y', 'docker.io/a__b/c-d--e/f.g_h:Tag_1.x-y'],
    // "localhost:5000" without a path is a repository with a tag, as in Docker
    ['localhost:5000', 'docker.io', 'registry-1.docker.io', 'library/localhost', '5000', 'docker.io/library/localhost:5000'],
  ])('%s', (image, domain, registryHost, repository, manifestRef, canonical) => {
    expect(parseImageReference(image)).toMatchObject({ domain, registryHost, repository, manifestRef, canonical, digest: undefined })
  })

  it('checks a digest reference by its digest, not as latest', () => {
    expect(parseImageReference(`nginx@${D}`)).toEqual({
      domain: 'docker.io',
      registryHost: 'registry-1.docker.io',
      repository: 'library/nginx',
      tag: undefined,
      digest: D,
      manifestRef: D,
      canonical: `docker.io/library/nginx@${D}`,
    })
  })

  it('lets the digest win over a tag given with it, as docker pull does', () => {
    const ref = parseImageReference(`registry.example:5000/team/app:v1@${D}`)
    expect(ref).toMatchObject({ tag: 'v1', digest: D, manifestRef: D, canonical: `registry.example:5000/team/app:v1@${D}` })
  })

  it('accepts sha512 digests of the right length', () => {
    const d = `sha512:${'0'.repeat(128)}`
    expect(parseImageReference(`quay.io/a/b@${d}`).manifestRef).toBe(d)
  })

  it.each([
    ['', 'empty'],
    ['ngi nx', 'whitespace'],
    ['nginx ', 'whitespace'],
    ['Nginx', 'must be lowercase'],
    ['quay.io/Team/app', 'must be lowercase'],
    ['nginx:', 'a tag is'],
    ['nginx:-x', 'a tag is'],
    [`nginx:${'t'.repeat(129)}`, 'a tag is'],
    ['a'.repeat(64), 'an image ID is not a reference'],
    [`sha256:${'a'.repeat(64)}`, 'an image ID is not a reference'],
    ['nginx@sha256:abc', 'malformed digest'],
    [`nginx@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm "md5"'],
    [`nginx@sha256:${'A'.repeat(64)}`, 'a sha256 digest is 64 lower-case hex characters'],
    [`nginx@sha256:${'a'.repeat(63)}`, 'a sha256 digest is 64'],
    ['nginx@', 'malformed digest'],
    ['/nginx', 'repository path'],
    ['nginx/', 'repository path'],
    ['team//app', 'repository path'],
    ['team/-app', 'repository path'],
    ['team/app.', 'repository path'],
    ['quay.io/', 'repository path'],
    ['-bad.example/app', '"-bad.example" is not a valid registry host'],
    ['host:99999/app', '"host:99999" is not a valid registry host'],
    ['host:port/app', '"host:port" is not a valid registry host'],
    ['host_1.example/app', 'is not a valid registry host'],
    ['nginx::1', 'repository path'],
    ['https://quay.io/org/app', 'is not a valid registry host'],
    [`quay.io/${'a'.repeat(250)}`, 'must not be longer than 255 characters'],
  ])('refuses %j with a 400 naming the problem', (image, reason) => {
    let caught: unknown
    try {
      parseImageReference(image)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InputError)
    expect((caught as InputError).status).toBe(400)
    expect((caught as InputError).message).toContain(reason)
  })
})
