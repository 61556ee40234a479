import type * as Diff from 'diff'
import type * as JsonPatch from 'fast-json-patch/commonjs/duplex.js'
import { lazyExport, lazyPackage } from './lazy-package.js'

/** `diff` and `fast-json-patch`, loaded on first use (lazy-package.ts says why); only plans need them. */
const diffPackage = lazyPackage<typeof Diff>('diff')
// fast-json-patch's root entry ships TypeScript sources beside its JavaScript, which loaders that
// prefer `.ts` (tsx in development) then try to run; its CommonJS build has only JavaScript.
const jsonPatchPackage = lazyPackage<typeof JsonPatch>('fast-json-patch/commonjs/duplex.js')

export const createTwoFilesPatch = lazyExport(diffPackage, 'createTwoFilesPatch')
export const compare = lazyExport(jsonPatchPackage, 'compare')
