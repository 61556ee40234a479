/**
 * Test-side helpers for the shared moto server started by ./global-setup.ts.
 *
 *   import { motoEndpoint, useMotoReset, motoClientConfig } from '../harness/index.js'
 *   useMotoReset()
 *   const ecs = new ECSClient(motoClientConfig(motoEndpoint()))
 */
import { beforeEach, inject } from 'vitest'

import { resetMoto } from './moto.js'

// Makes the ProvidedContext augmentation (motoEndpoint: string) visible to importers of this module.
import type {} from './global-setup.js'

export * from './moto.js'
export * from './not-found.js'

/** Endpoint of the shared moto server (provided by the globalSetup). */
export function motoEndpoint(): string {
  const endpoint = inject('motoEndpoint')
  if (!endpoint) throw new Error('motoEndpoint not provided: is test/harness/global-setup.ts the globalSetup?')
  return endpoint
}

/** Registers `beforeEach(resetMoto)` in the current file/suite: every test starts from an empty moto. */
export function useMotoReset(): void {
  beforeEach(async () => {
    await resetMoto(motoEndpoint())
  })
}
