import { describe, expect, it } from 'vitest'
import type { Action, Rule } from '../../src/aws/elbv2.js'
import { byPriority, ifText, nameInArn, ruleTargetGroupArns, thenText } from '../../src/codec/elb-rule-text.js'

const TG = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0987654321`
const names = (arn: string) => nameInArn(arn)
const then = (...actions: Action[]) => thenText({ Actions: actions }, names)

describe('If text', () => {
  it('is Default for the default rule, whatever its conditions', () => {
    expect(ifText({ IsDefault: true, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }] })).toBe('Default')
  })

  it('shows the values of host-header, path-pattern, http-header, http-request-method and source-ip', () => {
    expect(ifText({ Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['a.example', 'b.example'] } }] })).toBe(
      'host-header: a.example or b.example',
    )
    expect(ifText({ Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Env', Values: ['a'] } }] })).toBe(
      'http-header: a',
    )
    expect(ifText({ Conditions: [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } }] })).toBe(
      'http-request-method: GET',
    )
    expect(ifText({ Conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } }] })).toBe('source-ip: 10.0.0.0/8')
  })

  it("writes `host-header:` for a condition without values, as in the seed's example", () => {
    expect(ifText({ Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [] } }] })).toBe('host-header:')
    expect(ifText({ Conditions: [{ Field: 'host-header' }] })).toBe('host-header:')
    expect(ifText({ Conditions: [{ Field: 'source-ip' }] })).toBe('source-ip:')
  })

  it('falls back to the legacy Values, and adds regex values', () => {
    expect(ifText({ Conditions: [{ Field: 'path-pattern', Values: ['/old/*'] }] })).toBe('path-pattern: /old/*')
    expect(ifText({ Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['a'], RegexValues: ['^b\\.'] } }] })).toBe(
      'host-header: a or ^b\\.',
    )
  })

  it('shows other fields by name, joins several conditions with and, and is empty without conditions', () => {
    expect(ifText({ Conditions: [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'a', Value: 'b' }] } }] })).toBe(
      'query-string',
    )
    expect(
      ifText({ Conditions: [{ Field: 'host-header', Values: ['a'] }, { Field: 'path-pattern', Values: ['/b'] }] }),
    ).toBe('host-header: a and path-pattern: /b')
    expect(ifText({})).toBe('')
    expect(ifText({ Conditions: [{}] })).toBe('')
  })
})

describe('Then text', () => {
  it('describes fixed responses and redirects, with or without their config blocks', () => {
    expect(then({ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '412' } })).toBe('fixed response: status code 412')
    expect(then({ Type: 'fixed-response' })).toBe('fixed response')
    expect(then({ Type: 'redirect' })).toBe('redirect')
    expect(
      then({
        Type: 'redirect',
        RedirectConfig: { Protocol: 'HTTPS', Host: '#{host}', Port: '443', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
      }),
    ).toBe('redirect to HTTPS://#{host}:443/#{path}?#{query}')
    // Parts left out keep the request's own, which AWS writes as these placeholders.
    expect(then({ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_302' } })).toBe(
      'redirect to #{protocol}://#{host}:#{port}/#{path}?#{query}',
    )
  })

  it('names the target groups of a forward from ForwardConfig, else TargetGroupArn, else none', () => {
    const weighted = { TargetGroups: [{ TargetGroupArn: TG('blue'), Weight: 9 }, { TargetGroupArn: TG('green'), Weight: 1 }] }
    expect(then({ Type: 'forward', ForwardConfig: weighted, TargetGroupArn: TG('ignored') })).toBe('forward to blue, green')
    expect(then({ Type: 'forward', ForwardConfig: {}, TargetGroupArn: TG('single') })).toBe('forward to single')
    expect(then({ Type: 'forward' })).toBe('forward')
    expect(ruleTargetGroupArns({ Actions: [{ Type: 'forward', ForwardConfig: weighted }, { Type: 'forward', TargetGroupArn: TG('blue') }] })).toEqual([
      TG('blue'),
      TG('green'),
    ])
    expect(ruleTargetGroupArns({})).toEqual([])
  })

  it('lists every action in AWS order, and other types by their name', () => {
    const rule: Rule = {
      Actions: [
        { Type: 'forward', TargetGroupArn: TG('web'), Order: 2 },
        { Type: 'authenticate-oidc', Order: 1 },
      ],
    }
    expect(thenText(rule, names)).toBe('authenticate-oidc, then forward to web')
    expect(then({ Type: 'jwt-validation' })).toBe('jwt-validation')
    expect(then({ Type: undefined })).toBe('')
    expect(thenText({}, names)).toBe('')
  })
})

describe('rule order and names', () => {
  it('orders rules by numeric priority, the default rule last', () => {
    const rules: Rule[] = [{ Priority: 'default', IsDefault: true }, { Priority: '10' }, { Priority: '2' }, { Priority: 'odd' }]
    expect(rules.sort(byPriority).map((r) => r.Priority)).toEqual(['2', '10', 'odd', 'default'])
  })

  it('reads the name inside a target group ARN', () => {
    expect(nameInArn(TG('web-a'))).toBe('web-a')
    expect(nameInArn('not-an-arn')).toBe('not-an-arn')
  })
})
