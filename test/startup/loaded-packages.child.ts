/**
 * Run by lazy-packages.test.ts as its own process (`node --import tsx`), so the module cache it
 * reads holds only what this process loaded: builds the app from the config file named by its
 * first argument, then prints, as one JSON line per stage, the npm packages loaded so far.
 * Stages: after start-up (`ready`), after a ping, after a parameter create its body shape refuses, after a dry run of a service create with its
 * checks (which reads EC2 and IAM and diffs the plan), after the OpenAPI document, after an invalid
 * config was refused (TypeBox's checker names its field).
 */
import { createRequire } from 'node:module'
import { buildApp } from '../../src/app.js'
import { buildConfig, loadConfig } from '../../src/config/load-config.js'

const require = createRequire(import.meta.url)

/** Names of the packages under node_modules whose CommonJS modules are in the module cache. */
function loadedPackages(): string[] {
  const names = new Set<string>()
  for (const file of Object.keys(require.cache)) {
    const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)
    if (m) names.add(m[1]!.replace('\\', '/'))
  }
  return [...names].sort()
}

function report(stage: string, answer?: { statusCode: number; body: string }): void {
  const status = answer?.statusCode
  const detail = status !== undefined && status >= 400 ? answer?.body : undefined
  process.stdout.write(`${JSON.stringify({ stage, status, detail, packages: loadedPackages() })}\n`)
}

const app = await buildApp({ config: loadConfig(process.argv[2]!) })
await app.ready()
report('ready')

report('ping', await app.inject('/v1/ecs/ping'))

// Refused by the body's codec shape (an SSM schema) before any AWS call: the shape alone loads SSM.
const badParameter = await app.inject({
  method: 'POST',
  url: '/v1/ecs/main/params/startup',
  headers: { authorization: `Bearer ${app.config.tokens[0]!}`, 'content-type': 'application/json' },
  payload: { Name: 'p', Value: { not: 'a string' } },
})
report('bad parameter', badParameter)

// The image's registry is one the network guard refuses at once: no registry is asked.
const dryRun = await app.inject({
  method: 'POST',
  url: '/v1/ecs/main/services?dryRun=true&verify=true',
  headers: { authorization: `Bearer ${app.config.tokens[0]!}`, 'content-type': 'application/json' },
  payload: {
    cluster: { clusterName: 'space1' },
    taskDefinition: { family: 'web', cpu: '256', memory: '512', containerDefinitions: [{ name: 'web', image: '127.0.0.1:1/app:v1' }] },
    service: { serviceName: 'web', desiredCount: 1 },
  },
})
report('dry run', dryRun)

report('openapi', await app.inject('/v1/ecs/openapi.json'))

try {
  buildConfig({ org: 'o' })
} catch {
  // refused: the field is named by TypeBox's checker, loaded for that
}
report('invalid config')
await app.close()
