import { HttpCode, Post, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { HelperController } from '../http/helper-controller.decorator.js';
import { nativeRequest } from '../http/native-request.js';
import { bodyStream, sentContentType } from '../http/owned-body.js';
import { INBOUND_EMAIL_PATH } from '../http/owned-body-paths.js';
import {
  finalRefusals,
  mailgunAdapter,
  mailgunMimeAdapter,
  postmarkAdapter,
  rawAdapter,
  sendgridAdapter,
  type InboundAdapter,
  type InboundRequest,
} from './adapters/index.js';
import { InboundEmailService, type InboundAnswer } from './inbound-email.service.js';
import {
  ApiGroup,
  ApiInboundBasicAuth,
  ApiInboundBearerAuth,
  ApiMailboxQuery,
  ApiRawBody,
  ApiRoute,
} from '../openapi/decorators.js';
import { InboundAnswerSchema } from '../openapi/schemas/email.schema.js';

const INBOUND_ERRORS = [400, 401, 404, 413, 415, 429] as const;

/** Express's request, or Fastify's (Node's under `raw`). */
type InboundHttpRequest = object & {
  /** The parsed query string (Express and Fastify both set it). */
  query?: Record<string, unknown>;
};

type NodeRequest = IncomingMessage & {
  /** Set by Nest with `rawBody: true`, when a parser read the body after all. */
  rawBody?: Buffer;
  /** Set by a body parser that read the body. */
  body?: unknown;
};

/**
 * The request's parts for an adapter. The body is the request stream, which the module's platform
 * glue kept from the host's body parsers, so the adapter checks the credentials before reading
 * any of it and reads it with its own limit (docs/platforms.md). Only when a parser of the host's
 * read it anyway (one that takes every type, say) is what that parser left used instead.
 */
function inboundRequestOf(request: InboundHttpRequest): InboundRequest {
  const node = nativeRequest(request) as NodeRequest;
  const contentType = sentContentType(node);
  const parts = { authorization: node.headers.authorization, contentType };
  const stream = bodyStream(node);
  if (!stream.readableEnded) return { ...parts, body: stream };
  if (Buffer.isBuffer(node.rawBody)) return { ...parts, body: node.rawBody };
  const parsed = (request as { body?: unknown }).body ?? node.body;
  if (Buffer.isBuffer(parsed)) return { ...parts, body: parsed };
  const encoded = /urlencoded/i.test(contentType ?? '')
    ? new URLSearchParams(parsed as Record<string, string>).toString()
    : JSON.stringify(parsed ?? null);
  return { ...parts, body: Buffer.from(encoded) };
}

/** Where email arrives (docs/http-api.md, docs/email.md): one route per delivery form, one pipeline behind them. */
@HelperController(INBOUND_EMAIL_PATH)
@ApiGroup('email')
@ApiMailboxQuery()
export class InboundEmailController {
  constructor(private readonly inbound: InboundEmailService) {}

  /** `?mailbox=<slug>` names the mailbox; without it the message's recipients decide. */
  private receive(adapter: InboundAdapter, request: InboundHttpRequest): Promise<InboundAnswer> {
    return this.inbound.receive(adapter, inboundRequestOf(request), request.query?.mailbox);
  }

  /** A raw RFC 5322 message (`Content-Type: message/rfc822`), `Authorization: Bearer <secret>`. */
  @Post()
  @ApiRoute({
    summary: 'Receive a raw email',
    response: InboundAnswerSchema,
    errors: [...INBOUND_ERRORS],
  })
  @ApiRawBody(['message/rfc822'], 'The message as RFC 5322 bytes.')
  @ApiInboundBearerAuth()
  @HttpCode(200)
  raw(@Req() request: InboundHttpRequest) {
    return this.receive(rawAdapter, request);
  }

  /** SendGrid Inbound Parse, raw or parsed mode; SendGrid retries only 5xx answers. */
  @Post('sendgrid')
  @ApiRoute({
    summary: 'Receive an email from SendGrid Inbound Parse',
    response: InboundAnswerSchema,
    errors: [...INBOUND_ERRORS],
  })
  @ApiRawBody(['multipart/form-data'], "SendGrid's form, raw MIME or parsed.")
  @ApiInboundBasicAuth()
  @HttpCode(200)
  sendgrid(@Req() request: InboundHttpRequest) {
    return this.receive(sendgridAdapter, request);
  }

  /** A Mailgun route forwarding to a URL ending in "mime": the raw message in `body-mime`. */
  @Post('mailgun/mime')
  @ApiRoute({
    summary: "Receive an email from a Mailgun route, as raw MIME ('body-mime')",
    description:
      'Mailgun posts the raw message only to a URL ending in `mime`. Signed with `mailgunSigningKey` when set; else the inbound secret as Basic auth. A refusal that will not change answers 406, which stops Mailgun retrying.',
    response: InboundAnswerSchema,
    errors: [406, 413, 429],
  })
  @ApiRawBody(
    ['multipart/form-data', 'application/x-www-form-urlencoded'],
    "Mailgun's form with the raw message in `body-mime`.",
  )
  @ApiInboundBasicAuth()
  @HttpCode(200)
  mailgunMime(@Req() request: InboundHttpRequest) {
    return this.receive(mailgunMimeAdapter, request).catch(finalRefusals('mailgun'));
  }

  /** A Mailgun route forwarding here: Mailgun's parsed fields. */
  @Post('mailgun')
  @ApiRoute({
    summary: 'Receive an email from a Mailgun route',
    description: 'Signed with `mailgunSigningKey` when set; else the inbound secret as Basic auth.',
    response: InboundAnswerSchema,
    errors: [406, 413, 429],
  })
  @ApiRawBody(
    ['multipart/form-data', 'application/x-www-form-urlencoded'],
    "Mailgun's form fields.",
  )
  @ApiInboundBasicAuth()
  @HttpCode(200)
  mailgun(@Req() request: InboundHttpRequest) {
    return this.receive(mailgunAdapter, request).catch(finalRefusals('mailgun'));
  }

  @Post('postmark')
  @ApiRoute({
    summary: 'Receive an email from Postmark',
    response: InboundAnswerSchema,
    errors: [403, 413, 429],
  })
  @ApiRawBody(['application/json'], "Postmark's inbound JSON.")
  @ApiInboundBasicAuth()
  @HttpCode(200)
  postmark(@Req() request: InboundHttpRequest) {
    return this.receive(postmarkAdapter, request).catch(finalRefusals('postmark'));
  }
}
