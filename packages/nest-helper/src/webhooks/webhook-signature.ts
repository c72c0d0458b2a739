import { createHmac } from 'node:crypto';

/**
 * The `webhook-signature` header of the Standard Webhooks scheme: `v1,` and the base64 of the
 * HMAC-SHA256 of `id.timestamp.body` under the endpoint's decoded secret (docs/webhooks.md).
 */
export const webhookSignature = (
  key: Buffer,
  id: string,
  timestampSeconds: number,
  body: string,
): string =>
  `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
