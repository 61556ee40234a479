import { UpstreamError } from '../core/errors.js'
import type { Account } from './account-clients.js'
import { GetCallerIdentityCommand } from './sdk/sts.js'

/** Where an account's resources live in ARNs: `arn:<partition>:<service>:<region>:<accountId>:...`. */
export interface AccountHome {
  partition: string
  accountId: string
}

/** Partition and account of an ARN; undefined when `arn` is not one. */
export function homeOfArn(arn: string | undefined): AccountHome | undefined {
  const [prefix, partition, , , accountId] = (arn ?? '').split(':')
  return prefix === 'arn' && partition && accountId ? { partition, accountId } : undefined
}

/** One STS GetCallerIdentity; its package is loaded only when an account first needs it. */
async function callerHome(account: Account): Promise<AccountHome> {
  const identity = await account.clients.sts.send(new GetCallerIdentityCommand({}))
  const found = homeOfArn(identity.Arn) ?? (identity.Account ? { partition: 'aws', accountId: identity.Account } : undefined)
  if (!found) throw new UpstreamError('STS did not name the account')
  return found
}

// Per account object, for the life of the process: an account's id never changes.
const homes = new WeakMap<Account, Promise<AccountHome>>()

/**
 * The account's partition and id, for building the ARN of a resource from its name (a log group
 * just created) instead of asking for it: from the assumed role's ARN when one is configured, else one
 * STS GetCallerIdentity per account and process (a failed answer is asked again next time).
 */
export function accountHome(account: Account): Promise<AccountHome> {
  const known = homes.get(account)
  if (known) return known
  const configured = homeOfArn(account.config.assumeRole?.roleArn)
  const home = configured ? Promise.resolve(configured) : callerHome(account)
  homes.set(account, home)
  home.catch(() => homes.delete(account))
  return home
}
