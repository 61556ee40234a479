/**
 * The wrapper bodies of the original service (orchestration.ServiceOrchestrationInput,
 * ServiceOrchestrationUpdateInput, ...): the very shapes the routes decode with, so the seed tests
 * prove that the routes take the seed's bodies. Also a loader for the seed fixtures.
 */
import { readFileSync } from 'node:fs'

export { SecretUpdateShape as SecretUpdateBody } from '../../src/domain/secrets/bodies.js'
export { ServiceCreateBody, ServiceUpdateBody } from '../../src/domain/services/bodies.js'
export { TaskDefCreateBody } from '../../src/domain/taskdefs/bodies.js'

export function seedFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/seed/${name}`, import.meta.url), 'utf8'))
}
