import Type, { type Static } from 'typebox'

/** Docker's longest reference: a 255-character name, a 128-character tag and a sha512 digest. */
export const IMAGE_REFERENCE_MAX = 520

export const ImageQuerySchema = Type.Object({
  image: Type.String({
    minLength: 1,
    maxLength: IMAGE_REFERENCE_MAX,
    description: 'A Docker image reference: `nginx`, `quay.io/org/app:tag`, `registry.example:5000/team/app@sha256:...`',
  }),
})
export type ImageQuery = Static<typeof ImageQuerySchema>

export const ImageHeadersSchema = Type.Object({
  'x-registry-auth': Type.Optional(
    Type.String({ description: 'Base64 of JSON `{"username": "...", "password": "..."}` for a private registry' }),
  ),
})

export const ImageCheckSchema = Type.Object(
  {
    image: Type.String({ description: 'the reference fully qualified' }),
    registry: Type.String({ description: 'the registry host asked' }),
    repository: Type.String(),
    reference: Type.String({ description: 'the tag or digest looked up' }),
    digest: Type.Optional(Type.String({ description: 'the manifest digest, also sent as Docker-Content-Digest' })),
    mediaType: Type.Optional(Type.String({ description: 'the manifest media type' })),
  },
  { description: 'the image exists and can be pulled with the credentials given' },
)
