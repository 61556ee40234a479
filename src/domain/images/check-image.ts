import { NotFoundError } from '../../core/errors.js'
import { parseImageReference } from '../../registry/reference.js'
import { parseRegistryAuth } from '../../registry/registry-auth.js'
import { RegistryClient, type RegistryClientConfig, type RegistryClientDeps } from '../../registry/registry-client.js'

/** What a successful check found. */
export interface ImageCheckResult {
  /** The reference fully qualified, e.g. `docker.io/library/nginx:latest`. */
  image: string
  /** The host the registry API was asked at, e.g. `registry-1.docker.io`. */
  registry: string
  repository: string
  /** The tag or digest the manifest was looked up by. */
  reference: string
  /** The manifest's digest, when the registry gave one (`Docker-Content-Digest`). */
  digest?: string
  /** The manifest's media type: an image index or list, or a single-platform manifest. */
  mediaType?: string
}

/**
 * The image check: does this image exist, and can the given credentials (or anyone) pull it?
 * Bad input is a 400, a missing image or refused pull a 404, a failing registry a 502.
 */
export class ImageChecker {
  private readonly client: RegistryClient

  constructor(config: RegistryClientConfig, deps: RegistryClientDeps = {}) {
    this.client = new RegistryClient(config, deps)
  }

  async check(image: string, registryAuthHeader: string | undefined): Promise<ImageCheckResult> {
    const credentials = parseRegistryAuth(registryAuthHeader)
    const ref = parseImageReference(image)
    const answer = await this.client.headManifest(ref, credentials)
    if (answer.outcome === 'not-found') throw new NotFoundError(`image ${ref.canonical} not found in registry ${ref.registryHost}`)
    if (answer.outcome === 'no-access') {
      throw new NotFoundError(
        `image ${ref.canonical} not found, or registry ${ref.registryHost} does not grant pull to ` +
          `${credentials ? 'the credentials given' : 'anonymous callers'}`,
      )
    }
    return {
      image: ref.canonical,
      registry: ref.registryHost,
      repository: ref.repository,
      reference: ref.manifestRef,
      ...(answer.digest ? { digest: answer.digest } : {}),
      ...(answer.mediaType ? { mediaType: answer.mediaType } : {}),
    }
  }
}
