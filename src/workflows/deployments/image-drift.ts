import type { FastifyBaseLogger } from 'fastify'
import { parseImageReference } from '../../registry/reference.js'
import { RegistryClient, type RegistryClientConfig } from '../../registry/registry-client.js'
import type { ImageDigest, ImageDrift } from '../../core/deployments/model.js'

/**
 * "The image was not really replaced": a container whose image tag now points at another digest than
 * the one its running task reports. Asked anonymously (HEAD of the manifest); an image the registry
 * does not answer for (private, unreachable, refused by the network guard) is skipped, never an error.
 */
export async function imageDrift(
  digests: readonly ImageDigest[],
  log: FastifyBaseLogger,
  config: RegistryClientConfig | undefined,
): Promise<ImageDrift[]> {
  if (!config) return []
  const client = new RegistryClient(config)
  const drift: ImageDrift[] = []
  for (const running of digests) {
    try {
      const ref = parseImageReference(running.image)
      // An image pinned by digest cannot drift.
      if (ref.manifestRef.includes(':') && ref.manifestRef.startsWith('sha256')) continue
      const answer = await client.headManifest(ref, undefined)
      if (answer.outcome === 'found' && answer.digest && answer.digest !== running.digest) {
        drift.push({ container: running.container, image: running.image, runningDigest: running.digest, tagDigest: answer.digest })
      }
    } catch (err) {
      log.debug({ image: running.image, err: { message: (err as Error).message } }, 'image digest not resolved; drift not checked')
    }
  }
  return drift
}
