import { logFilter, type LogFilter } from '../../aws/log-filter.js'
import { serviceContext, type ServiceContext } from '../services/context.js'
import type { UseCaseContext } from '../use-case-context.js'

/** What the logs and diagnosis use cases need: the service adapters and the multi-stream log reader. */
export interface LogsContext extends ServiceContext {
  readonly filter: LogFilter
}

export function logsContext(base: UseCaseContext): LogsContext {
  return { ...serviceContext(base), filter: logFilter(base.account.clients.logs) }
}
