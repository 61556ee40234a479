/**
 * Demo: starts moto on loopback, writes a demo config whose default subnets and security groups
 * exist in moto's default VPC, starts the API on 127.0.0.1, seeds a demo space through it
 * (scripts/demo-seed.ts) and prints ready-to-paste curl commands that show it. Ctrl-C stops both.
 * Port: $PORT, default 8080.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { hash } from '@node-rs/bcrypt'
import { defaultVpcResources, MOTO_REGION, startMoto, warmMoto } from '../test/harness/moto.js'
import { DEMO_SPACE, seedDemo } from './demo-seed.js'

const say = (line: string): void => console.log(`[demo] ${line}`)

const port = Number(process.env.PORT ?? 8080)
say('starting moto (the local AWS emulator)')
// Its services report their desired task as running, so the demo's deployment is a finished one.
const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } })
await warmMoto(moto.endpoint)
const vpc = await defaultVpcResources(moto.endpoint, MOTO_REGION)
const token = randomBytes(24).toString('hex')

mkdirSync('.tmp', { recursive: true })
const configPath = '.tmp/demo-config.json'
writeFileSync(
  configPath,
  JSON.stringify(
    {
      listenAddress: `127.0.0.1:${port}`,
      org: 'demo',
      token,
      logLevel: 'info',
      accounts: {
        demo: {
          region: MOTO_REGION,
          akid: 'demo',
          secret: 'demo',
          endpoint: moto.endpoint,
          defaultSubnets: vpc.subnets.slice(0, 2),
          defaultSgs: vpc.securityGroups.slice(0, 1),
          defaultKmsKeyId: 'alias/aws/ssm',
        },
      },
      operations: { sqlitePath: '.tmp/demo-operations.sqlite' },
    },
    null,
    2,
  ),
)

say('starting the API')
const api = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', '--config', configPath], { stdio: 'inherit' })
const base = `http://127.0.0.1:${port}/v1/ecs`
const bcryptHeader = await hash(token, 10)

async function waitForApi(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/ping`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the API did not start')
}

let stopping = false
async function stop(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  api.kill('SIGTERM')
  await moto.stop()
  process.exit(code)
}
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
api.on('exit', (code) => void stop(code ?? 1))

await waitForApi()
say(`seeding the demo space ${DEMO_SPACE}`)
const reads = await seedDemo({ base, token, account: 'demo', motoEndpoint: moto.endpoint, region: MOTO_REGION, vpc, log: (line) => say(`  ${line}`) })
console.log(`
ecs-api demo is running on ${base} (AWS: moto at ${moto.endpoint}, account "demo", org "demo").

${reads.map((r) => `  # ${r.label}\n  curl -s -H 'Authorization: Bearer ${token}' '${base}${r.path}'`).join('\n\n')}

  # the original clients' header works too
  curl -s -H 'X-Auth-Token: ${bcryptHeader}' '${base}/demo/secrets'

API docs: ${base}/docs    OpenAPI: ${base}/openapi.json    Ctrl-C stops the demo.
`)
