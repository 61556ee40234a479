import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildConfig, ConfigError, loadConfig, parseListenAddress, resolveConfigPath } from '../../src/config/load-config.js'

const original = {
  listenAddress: ':8080',
  accounts: {
    nonprod: {
      region: 'us-east-1',
      akid: 'AKIAXXXXXXXX',
      secret: 'sssss',
      defaultSgs: ['sg-1'],
      defaultSubnets: ['subnet-1', 'subnet-2'],
      defaultKmsKeyId: 'kms-1',
    },
  },
  token: 'the-shared-token',
  logLevel: 'info',
  org: 'localdev',
}

function write(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-api-config-'))
  const path = join(dir, 'config.json')
  writeFileSync(path, content)
  return path
}

describe('config', () => {
  it('loads the original config.json shape unchanged, with defaults for new fields', () => {
    const config = loadConfig(write(JSON.stringify(original)), {})
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8080 })
    expect(config.org).toBe('localdev')
    expect(config.tokens).toEqual(['the-shared-token'])
    expect(config.accounts.get('nonprod')).toMatchObject({ region: 'us-east-1', defaultSubnets: ['subnet-1', 'subnet-2'] })
    expect(config.auth.maxBcryptCost).toBe(12)
    expect(config.bodyLimit).toBe(1024 * 1024)
    expect(config.shutdownTimeoutMs).toBe(30_000)
    expect(config.redis).toBeUndefined()
  })

  it('keeps idempotency answers 24 h and audit records 90 days, without a rate limit, unless configured', () => {
    const defaults = buildConfig(original)
    expect(defaults.idempotency).toEqual({ ttlHours: 24 })
    expect(defaults.audit).toEqual({ retentionDays: 90 })
    expect(defaults.rateLimit).toBeUndefined()
    const set = buildConfig({ ...original, Idempotency: { TTLHours: 2 }, audit: { retentiondays: 7 }, RateLimit: { perSecond: 5 } })
    expect(set.idempotency).toEqual({ ttlHours: 2 })
    expect(set.audit).toEqual({ retentionDays: 7 })
    expect(set.rateLimit).toEqual({ perSecond: 5, burst: 5 })
    expect(() => buildConfig({ ...original, rateLimit: { perSecond: 0 } })).toThrow(/rateLimit\.perSecond/)
  })

  it('remembers what it checked or made for the org 30 s unless configured (0: never)', () => {
    expect(buildConfig(original).orgCacheSeconds).toBe(30)
    expect(buildConfig({ ...original, OrgCacheSeconds: 0 }).orgCacheSeconds).toBe(0)
    expect(() => buildConfig({ ...original, orgCacheSeconds: -1 })).toThrow(/orgCacheSeconds/)
  })

  it('matches keys case-insensitively as Go did, but keeps account names as written', () => {
    const config = buildConfig({
      ListenAddress: '127.0.0.1:9000',
      ACCOUNTS: { NonProd: { Region: 'us-west-2', AKID: 'a', Secret: 's', defaultsubnets: ['subnet-9'], DefaultSGs: ['sg-9'] } },
      Token: 'tok',
      ORG: 'o',
      unknownKey: true,
    })
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9000 })
    expect([...config.accounts.keys()]).toEqual(['NonProd'])
    expect(config.accounts.get('NonProd')).toMatchObject({ region: 'us-west-2', defaultSubnets: ['subnet-9'], defaultSgs: ['sg-9'] })
  })

  it('loads the committed example config', () => {
    const config = loadConfig('config/config.example.json', {})
    expect([...config.accounts.keys()]).toEqual(['nonprod', 'spinup'])
    expect(config.accounts.get('spinup')?.assumeRole?.roleArn).toMatch(/^arn:aws:iam::/)
  })

  it('applies environment overrides', () => {
    const config = buildConfig(original, {
      ECS_API_LISTEN_ADDRESS: '127.0.0.1:7000',
      ECS_API_LOG_LEVEL: 'debug',
      ECS_API_TOKENS: 'token-one-xxxx, token-two-xxxx',
      ECS_API_REDIS_URL: 'redis://127.0.0.1:6379',
    })
    expect(config.listen.port).toBe(7000)
    expect(config.logLevel).toBe('debug')
    expect(config.tokens).toEqual(['the-shared-token', 'token-one-xxxx', 'token-two-xxxx'])
    expect(config.redis).toBe('redis://127.0.0.1:6379')
  })

  it.each([
    [(({ org: _org, ...rest }) => rest)(original), 'invalid config: org: is required'],
    [{ ...original, accounts: { a: { region: 5 } } }, 'invalid config: accounts.a.region:'],
    [{ ...original, accounts: { a: { region: 'us-east-1', akid: 'x' } } }, 'invalid config: accounts.a.secret: akid and secret'],
    [(({ token: _token, ...rest }) => rest)(original), 'invalid config: token: at least one token'],
    [{ ...original, listenAddress: 'nonsense' }, 'invalid config: listenAddress:'],
    [{ ...original, auth: { maxBcryptCost: 40 } }, 'invalid config: auth.maxBcryptCost:'],
    [{ ...original, accounts: {} }, 'invalid config: accounts: at least one account'],
    [{ ...original, accounts: { a: { region: 'us-east-1', assumeRole: { roleArn: 'nope' } } } }, 'invalid config: accounts.a.assumeRole.roleArn:'],
    [[1, 2], 'invalid config: (top level): must be a JSON object'],
  ])('rejects an invalid config naming the field (%#)', (raw, message) => {
    expect(() => buildConfig(raw)).toThrow(ConfigError)
    expect(() => buildConfig(raw)).toThrow(message)
  })

  it('resolves the config path from --config, -config, the environment, then the default', () => {
    expect(resolveConfigPath(['--config', 'a.json'], {})).toBe('a.json')
    expect(resolveConfigPath(['-config', 'b.json'], {})).toBe('b.json')
    expect(resolveConfigPath(['--config=c.json'], {})).toBe('c.json')
    expect(resolveConfigPath([], { ECS_API_CONFIG: 'd.json' })).toBe('d.json')
    expect(resolveConfigPath([], {})).toBe('config/config.json')
  })

  it('parses Go listen addresses', () => {
    expect(parseListenAddress('[::1]:80')).toEqual({ host: '::1', port: 80 })
    expect(() => parseListenAddress(':99999')).toThrow(ConfigError)
  })

  it('stops the process at start with one line naming the field', () => {
    const path = write(JSON.stringify({ ...original, accounts: { nonprod: { region: 'nowhere' } } }))
    const tsx = execFileSync('node', ['-p', "require.resolve('tsx/cli')"]).toString().trim()
    const run = spawnSync('node', [tsx, 'src/server.ts', '--config', path], { encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(1)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^invalid config: accounts\.nonprod\.region: /)
  })

  it('gives deployments a 30 min deadline, polls from 2 s backing off to 15 s and waits at most 600 s, unless configured', () => {
    expect(buildConfig(original).deployments).toEqual({ deadlineSeconds: 1800, pollMinMs: 2000, pollMaxMs: 15000, maxWaitSeconds: 600 })
    const set = buildConfig({ ...original, deployments: { deadlineSeconds: 60, pollMinMs: 500, pollMaxMs: 5000, maxWaitSeconds: 30 } })
    expect(set.deployments).toEqual({ deadlineSeconds: 60, pollMinMs: 500, pollMaxMs: 5000, maxWaitSeconds: 30 })
    expect(() => buildConfig({ ...original, deployments: { maxWaitSeconds: -1 } })).toThrow(/deployments\.maxWaitSeconds/)
  })
})
