import type { IAMClient, Role, Tag } from '@aws-sdk/client-iam'
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  PutRolePolicyCommand,
  TagRoleCommand,
} from './sdk/iam.js'
import { UpstreamError } from '../core/errors.js'
import { orUndefined } from './not-found.js'

/**
 * IAM roles and their inline policies: what the task execution role of a space needs (create, read,
 * rewrite the policy, tag, delete).
 */

export interface CreateRoleInput {
  name: string
  path: string
  description: string
  assumeRolePolicy: string
  tags?: readonly Tag[]
}

export interface Iam {
  /** The role, or undefined when IAM does not know it. */
  getRole(name: string): Promise<Role | undefined>
  createRole(input: CreateRoleInput): Promise<Role>
  /** The inline policy document (URL-decoded JSON text), or undefined when the role has no such policy. */
  getRolePolicy(role: string, policy: string): Promise<string | undefined>
  putRolePolicy(role: string, policy: string, document: string): Promise<void>
  /** Deletes an inline policy; a missing one is fine. */
  deleteRolePolicy(role: string, policy: string): Promise<void>
  /** Names of every inline policy of the role, every page. */
  listRolePolicies(role: string): Promise<string[]>
  /** Deletes the role after removing its inline policies and detaching managed ones; a missing role is fine. */
  deleteRole(name: string): Promise<void>
  tagRole(name: string, tags: readonly Tag[]): Promise<void>
}

/** The IAM adapter over one account's client (errors arrive already translated). */
export function iamApi(client: IAMClient): Iam {
  const listRolePolicies = async (role: string): Promise<string[]> => {
    const names: string[] = []
    for await (const page of paginateListRolePolicies({ client, stopOnSameToken: true }, { RoleName: role })) {
      names.push(...(page.PolicyNames ?? []))
    }
    return names
  }
  const listAttachedPolicyArns = async (role: string): Promise<string[]> => {
    const arns: string[] = []
    const pages = paginateListAttachedRolePolicies({ client, stopOnSameToken: true }, { RoleName: role })
    for await (const page of pages) {
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn)
    }
    return arns
  }
  const deleteRolePolicy = async (role: string, policy: string): Promise<void> => {
    await orUndefined(client.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: policy })))
  }

  return {
    async getRole(name) {
      const out = await orUndefined(client.send(new GetRoleCommand({ RoleName: name })))
      return out?.Role
    },

    async createRole(input) {
      const out = await client.send(
        new CreateRoleCommand({
          RoleName: input.name,
          Path: input.path,
          Description: input.description,
          AssumeRolePolicyDocument: input.assumeRolePolicy,
          ...(input.tags?.length ? { Tags: [...input.tags] } : {}),
        }),
      )
      if (!out.Role) throw new UpstreamError(`IAM.CreateRole answered without a role for ${input.name}`)
      return out.Role
    },

    async getRolePolicy(role, policy) {
      const out = await orUndefined(client.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policy })))
      if (out?.PolicyDocument === undefined) return undefined
      // IAM returns policy documents URL-encoded (RFC 3986).
      return decodeURIComponent(out.PolicyDocument)
    },

    async putRolePolicy(role, policy, document) {
      await client.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: policy, PolicyDocument: document }))
    },

    deleteRolePolicy,
    listRolePolicies,

    async deleteRole(name) {
      const [inline, attached] = await Promise.all([
        orUndefined(listRolePolicies(name)),
        orUndefined(listAttachedPolicyArns(name)),
      ])
      if (inline === undefined && attached === undefined) return
      // IAM refuses to delete a role that still has policies (DeleteConflict).
      await Promise.all([
        ...(inline ?? []).map((p) => deleteRolePolicy(name, p)),
        ...(attached ?? []).map((arn) =>
          orUndefined(client.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn }))),
        ),
      ])
      await orUndefined(client.send(new DeleteRoleCommand({ RoleName: name })))
    },

    async tagRole(name, tags) {
      if (tags.length === 0) return
      await client.send(new TagRoleCommand({ RoleName: name, Tags: [...tags] }))
    },
  }
}
