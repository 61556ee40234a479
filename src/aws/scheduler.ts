import type {
  CreateScheduleCommandInput,
  GetScheduleCommandOutput,
  SchedulerClient,
  UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler'
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListTagsForResourceCommand,
  paginateListSchedules,
  UpdateScheduleCommand,
} from './sdk/scheduler.js'
import type { Tag } from '../core/tags.js'
import { orUndefined } from './not-found.js'

/**
 * EventBridge Scheduler: schedule groups (which carry tags) and the schedules in them (which do
 * not). Only the calls the schedules of task definitions use.
 */

export interface ScheduleGroup {
  arn: string
  name: string
  tags: Tag[]
}

export type Schedule = GetScheduleCommandOutput
export type ScheduleDefinition = CreateScheduleCommandInput & UpdateScheduleCommandInput

export interface Scheduler {
  /** The group with its tags, or undefined when there is none of that name. */
  getGroup(name: string): Promise<ScheduleGroup | undefined>
  createGroup(name: string, tags: readonly Tag[]): Promise<string>
  /** Deletes the group; a missing group is fine. AWS deletes the schedules still in it too. */
  deleteGroup(name: string): Promise<void>
  /** Names of the schedules in the group, every page; none when the group is missing. */
  listScheduleNames(group: string): Promise<string[]>
  /** The schedule, or undefined when the group has none of that name (or the group is missing). */
  getSchedule(group: string, name: string): Promise<Schedule | undefined>
  createSchedule(definition: ScheduleDefinition): Promise<string>
  /** Replaces the whole definition (Scheduler has no partial update). */
  updateSchedule(definition: ScheduleDefinition): Promise<void>
  /** Deletes the schedule; a missing one is fine. */
  deleteSchedule(group: string, name: string): Promise<void>
}

export function schedulerApi(client: SchedulerClient): Scheduler {
  const getGroup = async (name: string): Promise<ScheduleGroup | undefined> => {
    const group = await orUndefined(client.send(new GetScheduleGroupCommand({ Name: name })))
    if (!group?.Arn) return undefined
    const tagged = await orUndefined(client.send(new ListTagsForResourceCommand({ ResourceArn: group.Arn })))
    const tags = (tagged?.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))
    return { arn: group.Arn, name: group.Name ?? name, tags }
  }
  return {
    getGroup,

    async createGroup(name, tags) {
      const out = await client.send(new CreateScheduleGroupCommand({ Name: name, Tags: tags.map((t) => ({ ...t })) }))
      return out.ScheduleGroupArn ?? ''
    },

    async deleteGroup(name) {
      // Asked first: some emulators fail on deleting a group that is not there instead of saying so.
      if (!(await getGroup(name))) return
      await orUndefined(client.send(new DeleteScheduleGroupCommand({ Name: name })))
    },

    async listScheduleNames(group) {
      const names: string[] = []
      const pages = paginateListSchedules({ client, stopOnSameToken: true }, { GroupName: group })
      for await (const page of pages) {
        for (const s of page.Schedules ?? []) if (s.Name && (s.GroupName ?? group) === group) names.push(s.Name)
      }
      return names
    },

    async getSchedule(group, name) {
      return orUndefined(client.send(new GetScheduleCommand({ GroupName: group, Name: name })))
    },

    async createSchedule(definition) {
      const out = await client.send(new CreateScheduleCommand(definition))
      return out.ScheduleArn ?? ''
    },

    async updateSchedule(definition) {
      await client.send(new UpdateScheduleCommand(definition))
    },

    async deleteSchedule(group, name) {
      await orUndefined(client.send(new DeleteScheduleCommand({ GroupName: group, Name: name })))
    },
  }
}
