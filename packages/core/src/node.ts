// Node-only entry: everything in the browser-safe entry, plus what needs a secret (signing and
// verification) and so never belongs in a browser bundle.
export * from './index.js';
export * from './identity.js';
export { MAX_EMAIL_LENGTH, isAcceptableEmail } from './identity-fields.js';
export {
  HEX_DIGEST_LENGTH,
  MIN_SECRET_BYTES,
  bytesEqual,
  describeSecretsProblem,
  hexDigestsEqual,
  hmacKey,
  hmacSha256,
  hmacSha256Hex,
  isHexDigest,
} from './hmac.js';
export { MAX_METADATA_DEPTH, MAX_METADATA_TEXT_LENGTH, canonicalMetadata } from './canonical.js';
export {
  metadataSigningString,
  verifyMetadataHash,
  type MetadataHashVerification,
  type SignedMetadataInput,
  type VerifyMetadataHashOptions,
} from './signed-metadata.js';
