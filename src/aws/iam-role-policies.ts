import type { IAMClient } from '@aws-sdk/client-iam'
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from './sdk/iam.js'
import { orUndefined } from './not-found.js'

/** One policy document of a role, as IAM stores it (JSON text, URL-decoded). */
export interface RolePolicyDocument {
  /** The inline policy's name, or the managed policy's ARN. */
  source: string
  document: string
}

/**
 * Every policy document that grants a role something: its inline policies and the default version
 * of each managed policy attached to it. Undefined when IAM does not know the role. The preflight
 * checks evaluate these themselves (IAM's policy simulator is not offered everywhere).
 */
export async function rolePolicyDocuments(client: IAMClient, roleName: string): Promise<RolePolicyDocument[] | undefined> {
  const paging = { client, stopOnSameToken: true }
  const inlineNames = async (): Promise<string[]> => {
    const names: string[] = []
    for await (const page of paginateListRolePolicies(paging, { RoleName: roleName })) names.push(...(page.PolicyNames ?? []))
    return names
  }
  const attachedArns = async (): Promise<string[]> => {
    const arns: string[] = []
    for await (const page of paginateListAttachedRolePolicies(paging, { RoleName: roleName })) {
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn)
    }
    return arns
  }
  const [names, arns] = await Promise.all([orUndefined(inlineNames()), orUndefined(attachedArns())])
  if (names === undefined || arns === undefined) return undefined
  const decoded = (text: string | undefined) => (text === undefined ? undefined : decodeURIComponent(text))
  const inline = names.map(async (name) => {
    const out = await orUndefined(client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })))
    return { source: name, document: decoded(out?.PolicyDocument) }
  })
  const attached = arns.map(async (arn) => {
    const policy = await orUndefined(client.send(new GetPolicyCommand({ PolicyArn: arn })))
    const version = policy?.Policy?.DefaultVersionId
    if (!version) return { source: arn, document: undefined }
    const out = await orUndefined(client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version })))
    return { source: arn, document: decoded(out?.PolicyVersion?.Document) }
  })
  const all = await Promise.all([...inline, ...attached])
  return all.flatMap((p) => (p.document === undefined ? [] : [{ source: p.source, document: p.document }]))
}
