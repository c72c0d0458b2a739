import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { holdBody, keepBodyStream, OWNED_BODY_TYPE, restoreContentType } from './owned-body.js';

// The few parts of Fastify's instance used here, so the module needs no Fastify types.
type Done = (error: Error | null, value?: unknown) => void;
type PreParsingHook = (
  request: { raw: IncomingMessage },
  reply: unknown,
  payload: unknown,
  done: Done,
) => void;
interface RouteOptions {
  method: string | string[];
  url: string;
  preParsing?: PreParsingHook | PreParsingHook[];
}
export interface FastifyInstanceLike {
  addContentTypeParser(
    type: string,
    parser: (request: { raw: IncomingMessage }, payload: Readable, done: Done) => void,
  ): unknown;
  addHook(name: 'onRoute', hook: (route: RouteOptions) => void): unknown;
}

/**
 * On Fastify, the content-type parsers of the instance run on every route, and an unknown type
 * (`message/rfc822`, `multipart/form-data` without @fastify/multipart) is 415 before the route.
 * The inbound routes get a `preParsing` hook of their own that switches their requests to a type
 * whose parser reads nothing, so the request stream reaches the route unread (docs/platforms.md).
 */
export function holdOwnedBodiesOnFastify(
  instance: FastifyInstanceLike,
  isOwned: (method: string | undefined, path: string) => boolean,
): void {
  instance.addContentTypeParser(OWNED_BODY_TYPE, (request, payload, done) => {
    restoreContentType(request.raw);
    keepBodyStream(request.raw, payload);
    done(null, undefined);
  });
  const hold: PreParsingHook = (request, _reply, payload, done) => {
    holdBody(request.raw);
    done(null, payload);
  };
  instance.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((method) => isOwned(method, route.url))) return;
    const existing = route.preParsing;
    // After the route's own hooks: they may still look at the Content-Type as it was sent.
    route.preParsing = [...(existing === undefined ? [] : [existing].flat()), hold];
  });
}
