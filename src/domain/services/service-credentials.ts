import type { ContainerDefinition } from '@aws-sdk/client-ecs'

/**
 * How a service update reads each container's `repositoryCredentials` before the shared credentials
 * plan (spec 8.7) runs, by container name against the service's current revision:
 * - left out, while the container has a secret: the secret is kept. Clients send task definitions
 *   without the ARNs ECS filled in; the original deleted the secret then, breaking image pulls.
 * - given, while the container has a secret: the container keeps its own secret (an ARN the client
 *   sends does not move it to another secret); a credentials entry replaces the value.
 * - given as `{}`: the container drops its secret, which is deleted after the update.
 * Any other ARN must be a secret of the space (the task-definition rules check it).
 */
export function withCurrentCredentials(
  current: readonly ContainerDefinition[],
  requested: readonly ContainerDefinition[],
): ContainerDefinition[] {
  const had = new Map(current.flatMap((c) => (c.name && c.repositoryCredentials?.credentialsParameter ? [[c.name, c.repositoryCredentials.credentialsParameter]] : [])))
  return requested.map((container) => {
    const arn = had.get(container.name ?? '')
    if (!arn) return container
    const given = container.repositoryCredentials
    if (given !== undefined && !given.credentialsParameter) return container
    return { ...container, repositoryCredentials: { credentialsParameter: arn } }
  })
}
