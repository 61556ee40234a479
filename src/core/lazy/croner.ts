import type * as Croner from 'croner'
import { lazyExport, lazyPackage } from './lazy-package.js'

/** `croner`, loaded on first use (lazy-package.ts says why); only schedule answers need it. */
const cronerPackage = lazyPackage<typeof Croner>('croner')

export const Cron = lazyExport(cronerPackage, 'Cron')
export type Cron = Croner.Cron
