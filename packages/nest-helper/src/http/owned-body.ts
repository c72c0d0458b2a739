import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

// The inbound email routes read their bodies themselves (docs/platforms.md). Both platforms run
// the host's body parsers before any route code; a parser only reads a body whose Content-Type it
// knows. So, before the parsers, those requests get a Content-Type that no parser takes, and the
// one the client sent is kept beside it for the module.

/** A media type no body parser reads; the Fastify glue registers a parser that reads nothing. */
export const OWNED_BODY_TYPE = 'application/x-helperkit-owned-body';

const SENT_TYPE = Symbol('helperkit.sentContentType');
const BODY_STREAM = Symbol('helperkit.bodyStream');

type HeldRequest = IncomingMessage & {
  [SENT_TYPE]?: string | undefined;
  [BODY_STREAM]?: Readable;
};

/** Hides the request's body from the parsers that run before the route. */
export function holdBody(request: IncomingMessage): void {
  const held = request as HeldRequest;
  if (SENT_TYPE in held) return;
  held[SENT_TYPE] = request.headers['content-type'];
  request.headers['content-type'] = OWNED_BODY_TYPE;
}

/** Shows the sent Content-Type again to everything after the parsers (guards, hooks, logs). */
export function restoreContentType(request: IncomingMessage): void {
  const held = request as HeldRequest;
  if (!(SENT_TYPE in held) || request.headers['content-type'] !== OWNED_BODY_TYPE) return;
  const sent = held[SENT_TYPE];
  if (sent === undefined) delete request.headers['content-type'];
  else request.headers['content-type'] = sent;
}

/** The Content-Type the client sent. */
export function sentContentType(request: IncomingMessage): string | undefined {
  const held = request as HeldRequest;
  return SENT_TYPE in held ? held[SENT_TYPE] : request.headers['content-type'];
}

/**
 * Keeps the stream the body is to be read from when it is not the request itself: Fastify hands
 * its parsers the stream its `preParsing` hooks made (a host's hook may decompress or count).
 */
export function keepBodyStream(request: IncomingMessage, stream: Readable): void {
  if (stream !== request) (request as HeldRequest)[BODY_STREAM] = stream;
}

/** The stream to read the body from: the request, or the one `keepBodyStream` kept. */
export const bodyStream = (request: IncomingMessage): Readable =>
  (request as HeldRequest)[BODY_STREAM] ?? request;

/**
 * Route middleware for the inbound routes: it runs after every body parser, so from there on the
 * request shows the Content-Type it was sent with (Fastify's glue does it in its parser instead).
 */
export function restoreSentContentType(
  request: IncomingMessage,
  _response: unknown,
  next: () => void,
): void {
  restoreContentType(request);
  next();
}
