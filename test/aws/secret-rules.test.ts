import { describe, expect, it } from 'vitest'
import { checkSecretId, checkSecretName, deletionOf, secretValueOf } from '../../src/aws/secret-rules.js'

describe('secret rules', () => {
  it('reads ?window: default 7, 0 at once, 7 to 30 days, anything else refused', () => {
    expect(deletionOf(undefined)).toEqual({ recoveryWindowInDays: 7 })
    expect(deletionOf('')).toEqual({ recoveryWindowInDays: 7 })
    expect(deletionOf('0')).toEqual({ withoutRecovery: true })
    expect(deletionOf('7')).toEqual({ recoveryWindowInDays: 7 })
    expect(deletionOf('30')).toEqual({ recoveryWindowInDays: 30 })
    for (const bad of ['3', '6', '31', '-7', '7.0', 'x', '0x10', ' 7']) {
      expect(() => deletionOf(bad), bad).toThrow('window must be 0 (delete at once, without recovery) or 7 to 30 days')
    }
  })

  it('wants exactly one of SecretString and SecretBinary; empty counts as absent', () => {
    expect(secretValueOf({ SecretString: 's' })).toEqual({ SecretString: 's' })
    expect(secretValueOf({ SecretString: '', SecretBinary: new Uint8Array([1]) })).toEqual({ SecretBinary: new Uint8Array([1]) })
    expect(() => secretValueOf({})).toThrow('one of SecretString or SecretBinary (base64) is required')
    expect(() => secretValueOf({ SecretString: 's', SecretBinary: new Uint8Array([1]) })).toThrow('only one of')
    expect(() => secretValueOf({ SecretBinary: new Uint8Array(65_537) })).toThrow('SecretBinary is larger than 65536 bytes')
  })

  it('checks names and ids against the characters Secrets Manager allows', () => {
    expect(checkSecretName('spinup/org/space/cred-1_+=.@')).toBe('spinup/org/space/cred-1_+=.@')
    expect(() => checkSecretName('a:b')).toThrow('Name must be')
    expect(() => checkSecretName('x'.repeat(513))).toThrow('Name must be')
    expect(checkSecretId('arn:aws:secretsmanager:us-east-1:123456789012:secret:a/b-AbCdEf')).toMatch(/^arn:/)
    expect(() => checkSecretId('a b')).toThrow('secret must be')
  })
})
