import type { IncomingMessage } from 'node:http';

/**
 * Node's request under a platform's request object: Fastify wraps it (`request.raw`), Express
 * extends it. Nest middleware only ever sees this one, so whatever middleware writes lives here.
 */
export function nativeRequest(request: object): IncomingMessage {
  const raw = (request as { raw?: unknown }).raw;
  return (
    typeof raw === 'object' && raw !== null && 'headers' in raw ? raw : request
  ) as IncomingMessage;
}
