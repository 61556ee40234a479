import { InputError } from '../core/errors.js'

/**
 * Docker image references, parsed with the grammar Docker itself uses (distribution's `reference`
 * package, "normalized named" form), so callers get the same answer here as from `docker pull`.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component { "/" path-component }
 */

/** Docker Hub as written in references, and the host its registry API is actually served from. */
const HUB_DOMAIN = 'docker.io'
const HUB_LEGACY_DOMAIN = 'index.docker.io'
const HUB_REGISTRY_HOST = 'registry-1.docker.io'

const NAME_MAX = 255

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]{1,5}))?$`)
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG_RE = /^[\w][\w.-]{0,127}$/
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/
const IMAGE_ID_RE = /^(?:sha256:)?[a-f0-9]{64}$/

/** go-digest accepts only registered algorithms, each with its exact lower-case hex length. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }

export interface ImageReference {
  /** The domain as Docker normalises it: `docker.io`, `quay.io`, `registry.example:5000`. */
  domain: string
  /** Where the registry API lives (host[:port]): Docker Hub's domain maps to `registry-1.docker.io`. */
  registryHost: string
  /** Repository path inside the registry: `library/nginx`, `team/app`. */
  repository: string
  tag: string | undefined
  digest: string | undefined
  /** What the manifest is addressed by: the digest when one is given, else the tag, else `latest`. */
  manifestRef: string
  /** The fully qualified form, e.g. `docker.io/library/nginx:latest`. */
  canonical: string
}

function invalid(image: string, reason: string): InputError {
  return new InputError(`invalid image reference "${image}": ${reason}`)
}

/** Docker's split: the first path element is a domain only if it looks like one. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/')
  const first = slash === -1 ? '' : name.slice(0, slash)
  const looksLikeDomain = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()
  let domain = HUB_DOMAIN
  let remainder = name
  if (slash !== -1 && looksLikeDomain) {
    domain = first
    remainder = name.slice(slash + 1)
  }
  if (domain === HUB_LEGACY_DOMAIN) domain = HUB_DOMAIN
  if (domain === HUB_DOMAIN && !remainder.includes('/')) remainder = `library/${remainder}`
  return { domain, remainder }
}

function checkDigest(image: string, digest: string): void {
  if (!DIGEST_RE.test(digest)) throw invalid(image, 'malformed digest')
  const [algorithm, hex] = digest.split(':') as [string, string]
  const length = DIGEST_HEX_LENGTH[algorithm]
  if (length === undefined) throw invalid(image, `unsupported digest algorithm "${algorithm}"`)
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    throw invalid(image, `a ${algorithm} digest is ${length} lower-case hex characters`)
  }
}

/** Parses an image reference as Docker does; anything Docker would refuse is an `InputError` (400). */
export function parseImageReference(image: string): ImageReference {
  if (image.length === 0) throw invalid(image, 'empty')
  if (/\s/.test(image)) throw invalid(image, 'contains whitespace')
  // Docker reads a bare 64-hex string as a local image ID, which no registry can be asked about.
  if (IMAGE_ID_RE.test(image)) throw invalid(image, 'an image ID is not a reference; name the repository')

  let rest = image
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    checkDigest(image, digest)
  }

  const { domain, remainder } = splitDomain(rest)
  let path = remainder
  let tag: string | undefined
  const colon = remainder.lastIndexOf(':')
  if (colon !== -1) {
    tag = remainder.slice(colon + 1)
    path = remainder.slice(0, colon)
    if (!TAG_RE.test(tag)) throw invalid(image, 'a tag is 1 to 128 of [A-Za-z0-9_.-], not starting with "." or "-"')
  }

  const domainMatch = DOMAIN_RE.exec(domain)
  if (!domainMatch || Number(domainMatch[1] ?? 0) > 65535) throw invalid(image, `"${domain}" is not a valid registry host`)
  if (path !== path.toLowerCase()) throw invalid(image, 'repository name must be lowercase')
  const components = path.split('/')
  if (path === '' || !components.every((c) => PATH_COMPONENT_RE.test(c))) {
    throw invalid(image, 'repository path components are lower-case letters and digits separated by ".", "_", "__" or "-"')
  }
  const name = `${domain}/${path}`
  if (name.length > NAME_MAX) throw invalid(image, `repository name must not be longer than ${NAME_MAX} characters`)

  const canonical = `${name}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`
  return {
    domain,
    registryHost: domain === HUB_DOMAIN ? HUB_REGISTRY_HOST : domain,
    repository: path,
    tag,
    digest,
    // A digest pins the content, so it wins over a tag given alongside it, as in `docker pull`.
    manifestRef: digest ?? tag ?? 'latest',
    canonical: tag === undefined && digest === undefined ? `${canonical}:latest` : canonical,
  }
}
