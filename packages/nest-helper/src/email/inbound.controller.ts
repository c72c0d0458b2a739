import { HttpCode, Post, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { HelperController } from '../http/helper-controller.decorator.js';
import {
  mailgunAdapter,
  postmarkAdapter,
  rawAdapter,
  sendgridAdapter,
  type InboundAdapter,
  type InboundRequest,
} from './adapters/index.js';
import { InboundEmailService, type InboundAnswer } from './inbound-email.service.js';

type InboundHttpRequest = IncomingMessage & {
  /** Set by Nest with `rawBody: true`. */
  rawBody?: Buffer;
  /** Set by the host's body parsers (Express) when they read the stream. */
  body?: unknown;
  _body?: boolean;
  /** The parsed query string (Express and Fastify both set it). */
  query?: Record<string, unknown>;
};

/**
 * The request's parts for an adapter. Raw MIME and multipart bodies are read from the stream,
 * which no default parser touches. JSON and urlencoded bodies are read by the host's parsers
 * first: their raw bytes when Nest keeps them (`rawBody: true`), else the parsed body encoded
 * again (neither Postmark's nor Mailgun's authentication covers the body's bytes).
 */
function inboundRequestOf(request: InboundHttpRequest): InboundRequest {
  const contentType = request.headers['content-type'];
  const parts = { authorization: request.headers.authorization, contentType };
  if (Buffer.isBuffer(request.rawBody)) return { ...parts, body: request.rawBody };
  // body-parser 1 marks a parsed request with `_body`; either way its stream has been read.
  if ((request._body === true || request.readableEnded) && request.body !== undefined) {
    const encoded = /urlencoded/i.test(contentType ?? '')
      ? new URLSearchParams(request.body as Record<string, string>).toString()
      : JSON.stringify(request.body);
    return { ...parts, body: Buffer.from(encoded) };
  }
  return { ...parts, body: request as Readable };
}

/** Where email arrives (docs/http-api.md, docs/email.md): one route per delivery form, one pipeline behind them. */
@HelperController('email/inbound')
export class InboundEmailController {
  constructor(private readonly inbound: InboundEmailService) {}

  /** `?mailbox=<slug>` names the mailbox; without it the message's recipients decide. */
  private receive(adapter: InboundAdapter, request: InboundHttpRequest): Promise<InboundAnswer> {
    return this.inbound.receive(adapter, inboundRequestOf(request), request.query?.mailbox);
  }

  /** A raw RFC 5322 message (`Content-Type: message/rfc822`), `Authorization: Bearer <secret>`. */
  @Post()
  @HttpCode(200)
  raw(@Req() request: InboundHttpRequest) {
    return this.receive(rawAdapter, request);
  }

  @Post('sendgrid')
  @HttpCode(200)
  sendgrid(@Req() request: InboundHttpRequest) {
    return this.receive(sendgridAdapter, request);
  }

  @Post('mailgun')
  @HttpCode(200)
  mailgun(@Req() request: InboundHttpRequest) {
    return this.receive(mailgunAdapter, request);
  }

  @Post('postmark')
  @HttpCode(200)
  postmark(@Req() request: InboundHttpRequest) {
    return this.receive(postmarkAdapter, request);
  }
}
