import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { hash } from '@node-rs/bcrypt'
import type { FastifyInstance } from 'fastify'
import { onTestFinished } from 'vitest'
import { buildApp } from '../../src/app.js'
import { buildConfig, type Config } from '../../src/config/load-config.js'
import type { WorkflowHooks } from '../../src/workflows/engine.js'
import { defaultVpcResources, motoEndpoint, MOTO_REGION } from './index.js'

export const TEST_TOKEN = 'test-token-0123456789abcdef'
export const TEST_ORG = 'testorg'
/** The account `other` assumes a role into; moto really switches accounts on AssumeRole. */
export const ASSUMED_ACCOUNT_ID = '111111111111'
/** Where test apps keep their operation stores, one temporary directory each. */
const OPERATIONS_DIR_PREFIX = join(tmpdir(), 'ecs-api-ops-')

/** Authorization headers for the test token (Bearer: no bcrypt cost in tests). */
export const authHeaders = { authorization: `Bearer ${TEST_TOKEN}` } as const

let cachedHash: string | undefined
/** An X-Auth-Token header as the original clients send it (a cost-4 bcrypt hash of the token). */
export async function xAuthHeaders(): Promise<{ 'x-auth-token': string }> {
  cachedHash ??= await hash(TEST_TOKEN, 4)
  return { 'x-auth-token': cachedHash }
}

/**
 * A config of two accounts against moto: `main` with static keys (moto's default account) and
 * `other`, which assumes a role into a second AWS account id. Both use moto's default VPC.
 */
export async function testConfig(overrides: Record<string, unknown> = {}): Promise<Config> {
  const { operations, ...rest } = overrides
  const endpoint = motoEndpoint()
  const vpc = await defaultVpcResources(endpoint, MOTO_REGION)
  const common = {
    region: MOTO_REGION,
    endpoint,
    defaultSubnets: vpc.subnets.slice(0, 2),
    defaultSgs: vpc.securityGroups.slice(0, 1),
    defaultKmsKeyId: 'alias/test-key',
  }
  return buildConfig({
    listenAddress: '127.0.0.1:0',
    org: TEST_ORG,
    token: TEST_TOKEN,
    logLevel: 'silent',
    accounts: {
      main: { ...common, akid: 'testing', secret: 'testing' },
      other: {
        ...common,
        akid: 'testing',
        secret: 'testing',
        assumeRole: { roleArn: `arn:aws:iam::${ASSUMED_ACCOUNT_ID}:role/ecs-api`, sessionName: 'ecs-api-test' },
      },
    },
    ...rest,
    // Each app its own operation store, so no test sees (or resumes) another's operations.
    operations: { sqlitePath: join(mkdtempSync(OPERATIONS_DIR_PREFIX), 'operations.sqlite'), ...(operations as object | undefined) },
  })
}

/**
 * The workflow observers of the test apps (`buildApp`'s `workflowHooks`): a test sets `current` to
 * fail a chosen step (failures moto cannot produce) and clears it afterwards. Apps read it at each
 * hook, so it may be set before or after the app is built.
 */
export const testWorkflowHooks: { current?: WorkflowHooks | undefined } = {}

const delegatingHooks: WorkflowHooks = {
  onStepStart: (step) => testWorkflowHooks.current?.onStepStart?.(step),
  onStepSuccess: (step, info) => testWorkflowHooks.current?.onStepSuccess?.(step, info),
  onStepFailure: (step, error) => testWorkflowHooks.current?.onStepFailure?.(step, error),
  onCompensate: (step, outcome) => testWorkflowHooks.current?.onCompensate?.(step, outcome),
}

/**
 * Builds the app against moto and closes it after the test. Build one per test: moto's reset
 * forgets assumed-role keys, so an app kept across a reset would act in the wrong account.
 */
export async function buildTestApp(overrides: Record<string, unknown> = {}): Promise<FastifyInstance> {
  const config = await testConfig(overrides)
  const app = await buildApp({ config, logger: false, workflowHooks: delegatingHooks })
  onTestFinished(async () => {
    await app.close()
    const dir = dirname(config.operations.sqlitePath)
    if (dir.startsWith(OPERATIONS_DIR_PREFIX)) rmSync(dir, { recursive: true, force: true })
  })
  return app
}
