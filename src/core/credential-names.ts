/**
 * Names of a space's repository-credential secrets: every secret this API makes for a container's
 * private-registry login lives under `spinup/<org>/<cluster>/`, and nothing outside it may be named.
 */

/** Repository-credential secrets of a space are named `spinup/<org>/<cluster>/<name>`. */
export function credentialSecretPrefix(org: string, clusterName: string): string {
  return `spinup/${org}/${clusterName}/`
}

/** Whether `arn` is a Secrets Manager ARN (or name) of a secret under `prefix`. */
export function secretArnUnder(arn: string, prefix: string): boolean {
  const name = /^arn:aws[\w-]*:secretsmanager:[^:]*:\d*:secret:(.+)$/.exec(arn)?.[1] ?? arn
  return name.startsWith(prefix)
}
