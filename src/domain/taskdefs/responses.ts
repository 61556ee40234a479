import type { Cluster, TaskDefinition } from '@aws-sdk/client-ecs'
import { Cluster$, TaskDefinition$ } from '../../aws/sdk/ecs.js'
import type { CreateSecretResponse, PutSecretValueResponse } from '@aws-sdk/client-secrets-manager'
import { encode, type JsonValue } from '../../codec/index.js'

/** Response pieces in the original's format: AWS member names in PascalCase, unset members left out. */

export function clusterJson(cluster: Cluster): JsonValue {
  return encode(Cluster$, cluster)
}

export function taskDefinitionJson(taskDefinition: TaskDefinition): JsonValue {
  return encode(TaskDefinition$, taskDefinition)
}

/** Secrets Manager's answers per container (its member names are PascalCase already); null when none. */
export function credentialsJson(
  results: Readonly<Record<string, CreateSecretResponse | PutSecretValueResponse>>,
): Record<string, JsonValue> | null {
  const entries = Object.entries(results)
  if (entries.length === 0) return null
  return Object.fromEntries(
    entries.map(([container, r]) => [
      container,
      {
        ...(r.ARN !== undefined ? { ARN: r.ARN } : {}),
        ...(r.Name !== undefined ? { Name: r.Name } : {}),
        ...(r.VersionId !== undefined ? { VersionId: r.VersionId } : {}),
        ...('VersionStages' in r && r.VersionStages ? { VersionStages: r.VersionStages } : {}),
      },
    ]),
  )
}
