import type * as Handler from '@smithy/undici-http-handler'
import { lazyPackage } from '../../core/lazy/lazy-package.js'

/**
 * `@smithy/undici-http-handler` (and `undici` under it), loaded with the first AWS client
 * (src/core/lazy/lazy-package.ts says why).
 */
export const undiciHttpHandlerPackage = lazyPackage<typeof Handler>('@smithy/undici-http-handler')
