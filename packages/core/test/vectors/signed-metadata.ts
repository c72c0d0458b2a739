import { readFileSync } from 'node:fs';

/** One signed-metadata test vector; a host in another language can check its signer against it. */
export interface SignedMetadataVector {
  description: string;
  email: string;
  timestamp: number;
  /** The metadata as a host sends it. */
  metadata: Record<string, unknown>;
  /** RFC 8785 canonical JSON of `metadata`. */
  canonical: string;
  signedString: string;
  emailHash: string;
  metadataHash: string;
}

export const { secret: VECTOR_SECRET, vectors: SIGNED_METADATA_VECTORS } = JSON.parse(
  readFileSync(new URL('./signed-metadata.json', import.meta.url), 'utf8'),
) as { secret: string; vectors: SignedMetadataVector[] };
