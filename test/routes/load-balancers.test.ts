import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  type Action,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it, onTestFinished } from 'vitest'
import { authHeaders, buildTestApp, TEST_ORG } from '../harness/app.js'
import { defaultVpcResources, motoClientConfig, motoEndpoint, useMotoReset } from '../harness/index.js'

useMotoReset()

const OTHER_ORG = 'otherorg'
/** An IAM server certificate ARN: moto checks ACM certificates but takes IAM ones as they are. */
const CERT_ARN = 'arn:aws:iam::123456789012:server-certificate/test-cert'
const SSL_POLICY = 'ELBSecurityPolicy-TLS-1-2-2017-01'

const tags = (org: string, space: string, extra: Record<string, string> = {}) => [
  { Key: 'spinup:org', Value: org },
  { Key: 'spinup:spaceid', Value: space },
  ...Object.entries(extra).map(([Key, Value]) => ({ Key, Value })),
]

/** Builds ELBv2 resources in moto's default VPC (load balancers need subnets that exist). */
async function elbFixture() {
  const elb = new ElasticLoadBalancingV2Client(motoClientConfig(motoEndpoint()))
  onTestFinished(() => elb.destroy())
  const vpc = await defaultVpcResources(motoEndpoint())
  type Tags = ReturnType<typeof tags> | undefined

  return {
    async targetGroup(name: string, t: Tags, protocol: 'HTTP' | 'TCP' = 'HTTP'): Promise<string> {
      const out = await elb.send(
        new CreateTargetGroupCommand({ Name: name, Protocol: protocol, Port: 80, VpcId: vpc.vpcId, TargetType: 'ip', Tags: t }),
      )
      return out.TargetGroups![0]!.TargetGroupArn!
    },
    async register(targetGroupArn: string, targets: { Id: string; Port?: number }[]): Promise<void> {
      await elb.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets }))
    },
    async loadBalancer(name: string, t: Tags, type: 'application' | 'network' = 'application'): Promise<string> {
      const out = await elb.send(
        new CreateLoadBalancerCommand({ Name: name, Subnets: vpc.subnets.slice(0, 2), Type: type, Tags: t }),
      )
      return out.LoadBalancers![0]!.LoadBalancerArn!
    },
    async listener(lbArn: string, protocol: string, port: number, defaultActions: Action[]): Promise<string> {
      const tls = protocol === 'HTTPS' ? { SslPolicy: SSL_POLICY, Certificates: [{ CertificateArn: CERT_ARN }] } : {}
      const out = await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Protocol: protocol as 'HTTP',
          Port: port,
          DefaultActions: defaultActions,
          ...tls,
        }),
      )
      return out.Listeners![0]!.ListenerArn!
    },
    async rule(listenerArn: string, priority: number, conditions: RuleCondition[], actions: Action[]): Promise<string> {
      const out = await elb.send(
        new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: conditions, Actions: actions }),
      )
      return out.Rules![0]!.RuleArn!
    },
  }
}

const forward = (arn: string): Action => ({ Type: 'forward', TargetGroupArn: arn })
const forwardAll = (...arns: string[]): Action => ({
  Type: 'forward',
  ForwardConfig: { TargetGroups: arns.map((TargetGroupArn) => ({ TargetGroupArn, Weight: 1 })) },
})
const fixed = (code: string): Action => ({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: code } })
const hosts = (...values: string[]): RuleCondition => ({ Field: 'host-header', HostHeaderConfig: { Values: values } })
const paths = (...values: string[]): RuleCondition => ({ Field: 'path-pattern', PathPatternConfig: { Values: values } })

/** AWS calls the app made, by operation, for one service (from its own metrics registry). */
async function awsCalls(app: FastifyInstance, service: string): Promise<Record<string, number>> {
  const metric = await app.metrics.registry.getSingleMetric('ecs_api_aws_calls_total')?.get()
  const out: Record<string, number> = {}
  for (const v of metric?.values ?? []) {
    if (v.labels.service !== service) continue
    const op = String(v.labels.operation)
    out[op] = (out[op] ?? 0) + v.value
  }
  return out
}

async function get(app: FastifyInstance, url: string) {
  return app.inject({ method: 'GET', url, headers: authHeaders })
}

describe('GET /v1/ecs/{account}/lbs?space=', () => {
  it('maps the target groups of the asked space of our org, name to ARN', async () => {
    const f = await elbFixture()
    const web = await f.targetGroup('web-a', tags(TEST_ORG, 'space-a'))
    const api = await f.targetGroup('api-a', tags(TEST_ORG, 'space-a', { team: 'x' }))
    await f.targetGroup('web-b', tags(TEST_ORG, 'space-b'))
    await f.targetGroup('theirs-a', tags(OTHER_ORG, 'space-a'))
    await f.targetGroup('org-only', [{ Key: 'spinup:org', Value: TEST_ORG }])
    await f.targetGroup('untagged', undefined)
    // A load balancer of the space is not a target group.
    await f.loadBalancer('alb-a', tags(TEST_ORG, 'space-a'))

    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs?space=space-a')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ 'api-a': api, 'web-a': web })
    expect(Object.keys(res.json())).toEqual(['api-a', 'web-a'])
    expect(await awsCalls(app, 'ELBv2')).toEqual({ DescribeTargetGroups: 1 })
  })

  it('answers {} for a space without target groups, without describing anything', async () => {
    const f = await elbFixture()
    await f.targetGroup('web-a', tags(TEST_ORG, 'space-a'))
    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs?space=empty-space')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({})
    expect(await awsCalls(app, 'ELBv2')).toEqual({})
  })

  it('follows every tagging page and describes the target groups in batches of 20', async () => {
    const f = await elbFixture()
    const expected: Record<string, string> = {}
    // Four tags each: moto cuts GetResources pages at 100 tags, so 45 groups take two pages.
    for (let i = 0; i < 45; i++) {
      const name = `tg-${String(i).padStart(2, '0')}`
      expected[name] = await f.targetGroup(name, tags(TEST_ORG, 'big', { a: '1', b: '2' }))
    }
    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs?space=big')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(expected)
    expect((await awsCalls(app, 'Tagging')).GetResources).toBeGreaterThan(1)
    expect(await awsCalls(app, 'ELBv2')).toEqual({ DescribeTargetGroups: 3 })
  })

  it.each([
    ['/v1/ecs/main/lbs', "must have required property 'space'"],
    ['/v1/ecs/main/lbs?space=', 'space'],
    ['/v1/ecs/main/lbs?space=a%20b', 'space'],
    ['/v1/ecs/main/lbs?space=a&space=b', 'space'],
  ])('GET %s is a 400 naming the problem, before any AWS call', async (url, detail) => {
    const app = await buildTestApp()
    const res = await get(app, url)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ code: 'BadRequest' })
    expect(res.json<{ detail: string }>().detail).toContain(detail)
    expect(await awsCalls(app, 'Tagging')).toEqual({})
  })

  it('is a 404 for an unknown account and a 401 without credentials', async () => {
    const app = await buildTestApp()
    const unknown = await get(app, '/v1/ecs/nope/lbs?space=a')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ code: 'NotFound' })
    expect((await app.inject({ method: 'GET', url: '/v1/ecs/main/lbs?space=a' })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/v1/ecs/main/lbs/a' })).statusCode).toBe(401)
  })
})

describe('GET /v1/ecs/{account}/lbs/{space}', () => {
  it('answers the seed document\'s shape: listeners by name, If/Then texts, target groups with health', async () => {
    const f = await elbFixture()
    const tg = await f.targetGroup('tf-20211109200946929800000001', tags(TEST_ORG, 'seed'))
    await f.register(tg, [{ Id: '172.31.0.10', Port: 443 }])
    const lb = await f.loadBalancer('zee-special-alb', tags(TEST_ORG, 'seed'))
    // The seed's redirect: only protocol, port and status set; host, path and query stay as they were.
    const http = await f.listener(lb, 'HTTP', 80, [
      { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
    ])
    const https = await f.listener(lb, 'HTTPS', 443, [fixed('412')])
    const hostRule = await f.rule(https, 1, [hosts('app.example.org')], [forward(tg)])

    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs/seed')
    expect(res.statusCode).toBe(200)
    const body = res.json<Array<{ DNSName: string; Listeners: Array<{ Rules: Array<{ RuleArn: string }> }> }>>()
    const defaultRuleOf = (i: number) => body[0]!.Listeners[i]!.Rules.at(-1)!.RuleArn
    expect(body).toEqual([
      {
        LoadBalancerArn: lb,
        LoadBalancerName: 'zee-special-alb',
        LoadBalancerType: 'application',
        DNSName: expect.stringContaining('zee-special-alb') as string,
        Listeners: [
          {
            ListenerArn: http,
            ListenerName: 'HTTP:80',
            Rules: [{ RuleArn: defaultRuleOf(0), If: 'Default', Then: 'redirect to HTTPS://#{host}:443/#{path}?#{query}' }],
          },
          {
            ListenerArn: https,
            ListenerName: 'HTTPS:443',
            SslPolicy: SSL_POLICY,
            Rules: [
              {
                RuleArn: hostRule,
                If: 'host-header: app.example.org',
                Then: 'forward to tf-20211109200946929800000001',
                TargetGroups: [
                  {
                    TargetGroupArn: tg,
                    TargetGroupName: 'tf-20211109200946929800000001',
                    TargetType: 'ip',
                    Targets: [{ Id: '172.31.0.10', Port: '443', State: 'healthy', Reason: '' }],
                  },
                ],
              },
              { RuleArn: defaultRuleOf(1), If: 'Default', Then: 'fixed response: status code 412' },
            ],
          },
        ],
      },
    ])
    expect(defaultRuleOf(1)).toContain('listener-rule/app/zee-special-alb/')
  })

  it('describes every kind of rule of the asked space of our org, and nothing of other spaces or orgs', async () => {
    const f = await elbFixture()
    const web = await f.targetGroup('web-a', tags(TEST_ORG, 'space-a'))
    const api = await f.targetGroup('api-a', tags(TEST_ORG, 'space-a'))
    const db = await f.targetGroup('db-a', tags(TEST_ORG, 'space-a'), 'TCP')
    const empty = await f.targetGroup('empty-a', tags(TEST_ORG, 'space-a'))
    await f.register(web, [{ Id: '172.31.0.10', Port: 80 }, { Id: '172.31.0.11', Port: 8080 }])
    await f.register(api, [{ Id: '172.31.1.10' }])

    const alb = await f.loadBalancer('alb-a', tags(TEST_ORG, 'space-a'))
    const https = await f.listener(alb, 'HTTPS', 443, [fixed('404')])
    await f.rule(https, 10, [hosts('a.example.com', 'b.example.com')], [forward(web)])
    await f.rule(https, 20, [paths('/api/*')], [forwardAll(api, web)])
    // An older rule: legacy Values and no typed config block.
    await f.rule(https, 30, [{ Field: 'host-header', Values: ['legacy.example.com'] }], [forwardAll(web)])
    await f.rule(
      https,
      40,
      [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['canary'] } }, paths('/beta/*')],
      [fixed('503')],
    )
    await f.rule(
      https,
      50,
      [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '1' }] } }],
      [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Host: 'example.org', Port: '443', Path: '/new', Query: 'x=1', StatusCode: 'HTTP_302' } }],
    )
    await f.rule(
      https,
      60,
      [
        { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8', '192.168.0.0/16'] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } },
      ],
      [forward(empty)],
    )
    const nlb = await f.loadBalancer('nlb-a', tags(TEST_ORG, 'space-a'), 'network')
    await f.listener(nlb, 'TCP', 5432, [forward(db)])

    // Other spaces and orgs, each with a target group of its own that must not be described.
    for (const [name, org, space] of [['alb-b', TEST_ORG, 'space-b'], ['alb-x', OTHER_ORG, 'space-a']] as const) {
      const theirs = await f.targetGroup(`${name}-tg`, tags(org, space))
      await f.listener(await f.loadBalancer(name, tags(org, space)), 'HTTP', 80, [forward(theirs)])
    }
    await f.listener(await f.loadBalancer('untagged', undefined), 'HTTP', 80, [fixed('200')])

    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs/space-a')
    expect(res.statusCode).toBe(200)
    type Body = Array<{
      LoadBalancerName: string
      LoadBalancerType: string
      Listeners: Array<{
        ListenerName: string
        SslPolicy?: string
        Rules: Array<{ If: string; Then: string; TargetGroups?: Array<{ TargetGroupName: string; Targets: unknown[] }> }>
      }>
    }>
    const body = res.json<Body>()
    expect(body.map((lb) => [lb.LoadBalancerName, lb.LoadBalancerType])).toEqual([
      ['alb-a', 'application'],
      ['nlb-a', 'network'],
    ])
    const [albRules, nlbRules] = body.map((lb) => lb.Listeners[0]!.Rules)
    expect(body[0]!.Listeners[0]).toMatchObject({ ListenerName: 'HTTPS:443', SslPolicy: SSL_POLICY })
    expect(body[1]!.Listeners[0]!.ListenerName).toBe('TCP:5432')
    expect(body[1]!.Listeners[0]).not.toHaveProperty('SslPolicy')
    expect(albRules!.map((r) => [r.If, r.Then])).toEqual([
      ['host-header: a.example.com or b.example.com', 'forward to web-a'],
      ['path-pattern: /api/*', 'forward to api-a, web-a'],
      ['host-header: legacy.example.com', 'forward to web-a'],
      ['http-header: canary and path-pattern: /beta/*', 'fixed response: status code 503'],
      ['query-string', 'redirect to HTTPS://example.org:443/new?x=1'],
      ['source-ip: 10.0.0.0/8 or 192.168.0.0/16 and http-request-method: GET or HEAD', 'forward to empty-a'],
      ['Default', 'fixed response: status code 404'],
    ])
    const groupsOf = (i: number) => albRules![i]!.TargetGroups?.map((g) => g.TargetGroupName)
    expect([0, 1, 2, 3, 4, 5, 6].map(groupsOf)).toEqual([
      ['web-a'], ['api-a', 'web-a'], ['web-a'], undefined, undefined, ['empty-a'], undefined,
    ])
    expect(albRules![3]).not.toHaveProperty('TargetGroups')
    expect(albRules![0]!.TargetGroups![0]!.Targets).toEqual([
      { Id: '172.31.0.10', Port: '80', State: 'healthy', Reason: '' },
      { Id: '172.31.0.11', Port: '8080', State: 'healthy', Reason: '' },
    ])
    // A target registered without a port takes the target group's.
    expect(albRules![1]!.TargetGroups![0]!.Targets).toEqual([{ Id: '172.31.1.10', Port: '80', State: 'healthy', Reason: '' }])
    expect(albRules![5]!.TargetGroups![0]!.Targets).toEqual([])
    expect(nlbRules).toEqual([
      expect.objectContaining({ If: 'Default', Then: 'forward to db-a', TargetGroups: [expect.objectContaining({ TargetGroupArn: db, TargetType: 'ip' })] }),
    ])
    expect(res.body).not.toMatch(/alb-b|alb-x|untagged/)

    // Each of the four target groups described and health-checked once; the other spaces' never.
    expect(await awsCalls(app, 'ELBv2')).toEqual({
      DescribeLoadBalancers: 1,
      DescribeListeners: 2,
      DescribeRules: 2,
      DescribeTargetGroups: 1,
      DescribeTargetHealth: 4,
    })
  })

  it('makes the same ELBv2 calls however many rules forward to the same target group', async () => {
    const f = await elbFixture()
    const web = await f.targetGroup('web', tags(TEST_ORG, 'calls'))
    const api = await f.targetGroup('api', tags(TEST_ORG, 'calls'))
    const lb = await f.loadBalancer('alb-calls', tags(TEST_ORG, 'calls'))
    const listener = await f.listener(lb, 'HTTP', 80, [forward(web)])
    await f.rule(listener, 1, [paths('/api/*')], [forwardAll(api, web)])

    const callsWith = async (): Promise<Record<string, number>> => {
      const app = await buildTestApp()
      const res = await get(app, '/v1/ecs/main/lbs/calls')
      expect(res.statusCode).toBe(200)
      return awsCalls(app, 'ELBv2')
    }
    const few = await callsWith()
    for (let p = 2; p <= 25; p++) await f.rule(listener, p, [paths(`/p${p}/*`)], [p % 2 ? forward(web) : forwardAll(web, api)])
    const many = await callsWith()

    expect(few).toEqual({
      DescribeLoadBalancers: 1,
      DescribeListeners: 1,
      DescribeRules: 1,
      DescribeTargetGroups: 1,
      DescribeTargetHealth: 2,
    })
    expect(many).toEqual(few)
  })

  it('follows every page: load balancers in batches of 20, and all the rules of a listener', async () => {
    const f = await elbFixture()
    const web = await f.targetGroup('web', tags(TEST_ORG, 'paged'))
    const names: string[] = []
    for (let i = 0; i < 21; i++) {
      names.push(`lb-${String(i).padStart(2, '0')}`)
      await f.loadBalancer(names[i]!, tags(TEST_ORG, 'paged'))
    }
    const lbArn = await f.loadBalancer('lb-with-rules', tags(TEST_ORG, 'paged'))
    const listener = await f.listener(lbArn, 'HTTP', 80, [forward(web)])
    // moto pages DescribeRules by 50.
    for (let p = 1; p <= 55; p++) await f.rule(listener, p, [paths(`/r${p}/*`)], [forward(web)])

    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs/paged')
    expect(res.statusCode).toBe(200)
    const body = res.json<Array<{ LoadBalancerName: string; Listeners: Array<{ Rules: Array<{ If: string }> }> }>>()
    expect(body.map((lb) => lb.LoadBalancerName)).toEqual([...names, 'lb-with-rules'])
    const rules = body.at(-1)!.Listeners[0]!.Rules
    expect(rules).toHaveLength(56)
    expect(rules.map((r) => r.If).slice(0, 2)).toEqual(['path-pattern: /r1/*', 'path-pattern: /r2/*'])
    expect(rules.at(-1)!.If).toBe('Default')
    expect(await awsCalls(app, 'ELBv2')).toEqual({
      DescribeLoadBalancers: 2,
      DescribeListeners: 22,
      DescribeRules: 2,
      DescribeTargetGroups: 1,
      DescribeTargetHealth: 1,
    })
  })

  it('answers [] for a space without load balancers, and for another account', async () => {
    const f = await elbFixture()
    await f.loadBalancer('alb-a', tags(TEST_ORG, 'space-a'))
    const app = await buildTestApp()
    for (const url of ['/v1/ecs/main/lbs/nothing-here', '/v1/ecs/other/lbs/space-a']) {
      const res = await get(app, url)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual([])
    }
    expect(await awsCalls(app, 'ELBv2')).toEqual({})
  })

  it('is a 400 for a space that cannot be a cluster name', async () => {
    const app = await buildTestApp()
    const res = await get(app, '/v1/ecs/main/lbs/bad%20space')
    expect(res.statusCode).toBe(400)
    expect(res.json<{ detail: string }>().detail).toContain('space')
    expect(await awsCalls(app, 'Tagging')).toEqual({})
  })
})

describe('load balancer routes, across the API', () => {
  it('answer 503 problem+json when AWS does not answer, never an empty space', async () => {
    const app = await buildTestApp({
      accounts: { down: { region: 'us-east-1', akid: 'a', secret: 'b', endpoint: 'http://127.0.0.1:9' } },
    })
    for (const url of ['/v1/ecs/down/lbs?space=a', '/v1/ecs/down/lbs/a']) {
      const res = await get(app, url)
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ code: 'ServiceUnavailable' })
    }
  })

  it('are in the OpenAPI document with their parameters', async () => {
    const app = await buildTestApp()
    const doc = (await app.inject({ method: 'GET', url: '/v1/ecs/openapi.json' })).json<{
      paths: Record<string, { get: { tags: string[]; parameters: Array<{ name: string; in: string; required: boolean }> } }>
    }>()
    const list = doc.paths['/v1/ecs/{account}/lbs']!.get
    const summary = doc.paths['/v1/ecs/{account}/lbs/{space}']!.get
    expect(list.tags).toEqual(['load-balancers'])
    expect(list.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'space', in: 'query', required: true })]))
    expect(summary.parameters.map((p) => p.name).sort()).toEqual(['account', 'space'])
  })
})
