import type { CloudWatchLogsClient, LogGroup } from '@aws-sdk/client-cloudwatch-logs'
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  paginateDescribeLogGroups,
  PutRetentionPolicyCommand,
  TagResourceCommand,
} from './sdk/cloudwatch-logs.js'
import { NotFoundError } from '../core/errors.js'

/**
 * CloudWatch Logs groups: find by exact name, create, retention, tags, delete. Reading log events is
 * a separate adapter.
 */

/** DescribeLogGroups' largest page. */
const PAGE = 50

export interface LogGroups {
  /**
   * The group with exactly this name, or undefined. DescribeLogGroups only filters by prefix, so
   * `sp-1` would also match `sp-10`: every page of the prefix is searched for the exact name.
   */
  find(name: string): Promise<LogGroup | undefined>
  create(name: string, tags: Record<string, string>): Promise<void>
  putRetention(name: string, days: number): Promise<void>
  /** Back to "never expire". */
  deleteRetention(name: string): Promise<void>
  /** Deletes the group; a missing one is fine. */
  delete(name: string): Promise<void>
  /** Tags the group (its ARN with or without the trailing `:*`). */
  tag(arn: string, tags: Record<string, string>): Promise<void>
}

/** The log group ARN without DescribeLogGroups' trailing `:*`, as tagging and IAM expect it. */
export function logGroupArn(group: LogGroup): string | undefined {
  return group.logGroupArn ?? group.arn?.replace(/:\*$/, '')
}

/** The log groups adapter over one account's client (errors arrive already translated). */
export function logGroupsApi(client: CloudWatchLogsClient): LogGroups {
  return {
    async find(name) {
      const pages = paginateDescribeLogGroups(
        { client, pageSize: PAGE, stopOnSameToken: true },
        { logGroupNamePrefix: name },
      )
      for await (const page of pages) {
        const found = page.logGroups?.find((g) => g.logGroupName === name)
        if (found) return found
      }
      return undefined
    },

    async create(name, tags) {
      await client.send(
        new CreateLogGroupCommand({ logGroupName: name, ...(Object.keys(tags).length ? { tags } : {}) }),
      )
    },

    async putRetention(name, days) {
      await client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days }))
    },

    async deleteRetention(name) {
      await client.send(new DeleteRetentionPolicyCommand({ logGroupName: name }))
    },

    async delete(name) {
      try {
        await client.send(new DeleteLogGroupCommand({ logGroupName: name }))
      } catch (err) {
        if (err instanceof NotFoundError) return
        throw err
      }
    },

    async tag(arn, tags) {
      if (Object.keys(tags).length === 0) return
      await client.send(new TagResourceCommand({ resourceArn: arn.replace(/:\*$/, ''), tags }))
    },
  }
}
