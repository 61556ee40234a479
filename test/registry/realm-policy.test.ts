import { describe, expect, it } from 'vitest'
import { RealmPolicy, registrableDomain } from '../../src/registry/realm-policy.js'

describe('registrableDomain', () => {
  it.each([
    ['registry-1.docker.io', 'docker.io'],
    ['auth.docker.io', 'docker.io'],
    ['quay.io', 'quay.io'],
    ['ghcr.io', 'ghcr.io'],
    ['a.b.registry.example.com', 'example.com'],
    ['registry.example.co.uk', 'example.co.uk'],
    ['registry.example.com.au', 'example.com.au'],
    ['mine.azurecr.io', 'mine.azurecr.io'],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    ['us-docker.pkg.dev', 'us-docker.pkg.dev'],
    ['Registry.Example.COM.', 'example.com'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
  ])('%s -> %s', (host, domain) => {
    expect(registrableDomain(host)).toBe(domain)
  })
})

describe('RealmPolicy.mayReceiveCredentials', () => {
  const policy = new RealmPolicy(['auth.partner.example', 'tokens.example.net:8443'])

  it.each([
    ['registry-1.docker.io', 'auth.docker.io', 443, true],
    ['quay.io', 'quay.io', 443, true],
    ['registry.example.com', 'auth.example.com', 443, true],
    ['127.0.0.1', '127.0.0.1', 5001, true],
    // a realm on someone else's domain does not get the caller's credentials
    ['registry.example.com', 'auth.evil.com', 443, false],
    ['registry.example.com', 'example.com.evil.com', 443, false],
    ['mine.azurecr.io', 'other.azurecr.io', 443, false],
    ['registry.example.co.uk', 'evil.co.uk', 443, false],
    ['127.0.0.1', '127.0.0.2', 80, false],
    ['127.0.0.1', 'localhost', 80, false],
    // unless the operator allowed that realm (with its port, when the entry names one)
    ['registry.example.com', 'auth.partner.example', 443, true],
    ['registry.example.com', 'tokens.example.net', 8443, true],
    ['registry.example.com', 'tokens.example.net', 443, false],
  ])('%s -> %s:%d: %s', (registry, realm, port, allowed) => {
    expect(policy.mayReceiveCredentials(registry, realm, port)).toBe(allowed)
  })
})
