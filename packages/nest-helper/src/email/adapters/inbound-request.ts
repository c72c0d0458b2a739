import type { Readable } from 'node:stream';
import type { InboundProvider, ResolvedEmailOptions } from '../email.options.js';
import { badRequest, malformedMessage, payloadTooLarge } from '../email-errors.js';
import type { HeaderLine, ProviderVerdicts } from '../sender-auth/index.js';

/** The parts of an inbound HTTP request an adapter needs, already taken off the framework's request. */
export interface InboundRequest {
  /** The `Authorization` header, as received. */
  authorization?: string | undefined;
  /** The `Content-Type` header, as received. */
  contentType?: string | undefined;
  /** The request stream, read here with a limit; or the bytes a parser upstream left (docs/platforms.md). */
  body: Buffer | Readable;
}

/** What every adapter answers: the message as RFC 5322 bytes, for the one parsing pipeline. */
export interface InboundRaw {
  raw: Buffer;
  /**
   * The provider's own verdicts on the sender (SPF, DKIM), read from what the provider set
   * outside the sender's reach; absent for raw messages (docs/email-authentication.md).
   */
  providerVerdicts?: (headerLines: readonly HeaderLine[]) => ProviderVerdicts;
  /** A signed single-use token (Mailgun's): accepted for one message only. */
  singleUseToken?: string;
  /**
   * Keep a message the parser cannot read for staff (`skipReason: 'unparseable'`) rather than
   * refuse it: set by the provider routes, whose providers would otherwise drop it.
   */
  keepUnparseable?: boolean;
}

export type AdapterOptions = Pick<
  ResolvedEmailOptions,
  'inboundSecret' | 'mailgunSigningKey' | 'maxMessageBytes'
> &
  Partial<Pick<ResolvedEmailOptions, 'messageLimits'>> & {
    /** The current time in ms, for signature timestamps (default `Date.now`). */
    now?: () => number;
  };

/** Turns one delivery form into raw message bytes, or throws a HelperHttpError (401, 400, 413…). */
export type InboundAdapter = (
  request: InboundRequest,
  options: AdapterOptions,
) => Promise<InboundRaw>;

/**
 * The most bytes a provider's envelope (multipart form or JSON) may take for a message of the
 * largest accepted size: providers send the message more than once (Postmark: attachments in
 * base64 beside RawEmail; Mailgun: body-mime beside body-plain and body-html), and base64 adds a
 * third. The message itself is checked against `maxMessageBytes` once it is out.
 */
export const envelopeLimit = (maxMessageBytes: number): number => 3 * maxMessageBytes + 1024 * 1024;

/** The largest message a provider's route accepts (`maxMessageBytes` when none is set for it). */
export const messageLimit = (options: AdapterOptions, provider: InboundProvider): number =>
  options.messageLimits?.[provider] ?? options.maxMessageBytes;

/** Reads a body into one Buffer, refusing with 413 as soon as it passes `limitBytes`. */
export function readBody(body: Buffer | Readable, limitBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(body)) {
    return body.length > limitBytes
      ? Promise.reject(payloadTooLarge(limitBytes))
      : Promise.resolve(body);
  }
  // Listeners rather than `for await`: leaving an async iterator early destroys the stream, and a
  // destroyed request closes the socket before the 413 can be answered. Paused instead, the rest
  // of the upload is discarded by the HTTP server once the answer is sent.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      body.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > limitBytes) {
        stop();
        body.pause();
        reject(payloadTooLarge(limitBytes));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      stop();
      reject(badRequest('The request body could not be read to the end.'));
    };
    body.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** The message bytes an adapter hands on: not empty, and within `maxMessageBytes`. */
export function checkedMessage(raw: Buffer, maxMessageBytes: number): InboundRaw {
  if (raw.length === 0) throw malformedMessage('The request carries no message.');
  if (raw.length > maxMessageBytes) throw payloadTooLarge(maxMessageBytes);
  return { raw };
}

/** The media type of a Content-Type header, lowercased, without its parameters. */
export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
