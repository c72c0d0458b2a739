import { applyDecorators, type Type } from '@nestjs/common';
import { DeferredSwagger } from './deferred.js';
import {
  HELPER_INBOUND_BASIC_SECURITY,
  HELPER_INBOUND_BEARER_SECURITY,
  HELPER_SESSION_SECURITY,
} from './security.js';
import { ErrorBodySchema } from './schemas/errors.schema.js';

// The module's OpenAPI vocabulary: each decorator records `@nestjs/swagger` metadata that is
// applied only when the host installed the package (docs/openapi.md).

/** The error statuses a route may answer, each with the module's one error shape. */
type ErrorStatus = 400 | 401 | 403 | 404 | 406 | 409 | 410 | 413 | 415 | 429;

const ERROR_MEANINGS: Record<ErrorStatus, string> = {
  400: 'The request is not valid (`code`, `message`, `fields`).',
  401: 'Missing or wrong credentials.',
  403: 'Not allowed (Postmark stops retrying on 403).',
  404: 'Not found.',
  406: 'Refused for good (Mailgun stops retrying on 406).',
  409: 'Conflict.',
  410: 'Gone: the link expired.',
  413: 'The body is too large.',
  415: 'Unsupported content type.',
  429: 'Too many requests; `Retry-After` says when to try again.',
};

export interface RouteDoc {
  summary: string;
  description?: string;
  /** The JSON answer's schema, or `null` for an answer without a body. */
  response: Type<unknown> | null;
  /** The success status (default 200). */
  status?: number;
  /** Other successful answers, e.g. 200 for a repeated idempotent write. */
  alsoAnswers?: Array<{ status: number; description: string; schema?: Type<unknown> | null }>;
  errors?: ErrorStatus[];
  /** The route reads no request body (a POST that only signals, such as typing). */
  noRequestBody?: true;
}

/** A route's summary, its answers and its errors. */
export const ApiRoute = (doc: RouteDoc) =>
  DeferredSwagger((swagger) =>
    applyDecorators(
      swagger.ApiOperation({
        summary: doc.summary,
        ...(doc.description ? { description: doc.description } : {}),
      }),
      swagger.ApiResponse({
        status: doc.status ?? 200,
        description: doc.summary,
        ...(doc.response ? { type: doc.response } : {}),
      }),
      ...(doc.alsoAnswers ?? []).map(({ status, description, schema }) =>
        swagger.ApiResponse({ status, description, ...(schema ? { type: schema } : {}) }),
      ),
      ...(doc.errors ?? []).map((status) =>
        swagger.ApiResponse({ status, description: ERROR_MEANINGS[status], type: ErrorBodySchema }),
      ),
      ...(doc.noRequestBody ? [swagger.ApiExtension('x-request-body', 'none')] : []),
    ),
  );

/** A server-sent events stream: `text/event-stream`, resumed with `Last-Event-ID`. */
export const ApiEventStream = (summary: string, description: string) =>
  DeferredSwagger((swagger) =>
    applyDecorators(
      swagger.ApiOperation({ summary, description }),
      swagger.ApiProduces('text/event-stream'),
      swagger.ApiHeader({
        name: 'Last-Event-ID',
        required: false,
        description: 'The id of the last event received: the stream resumes after it.',
      }),
      swagger.ApiQuery({
        name: 'lastEventId',
        required: false,
        type: Number,
        description: 'As `Last-Event-ID`, for clients that cannot set headers (EventSource).',
      }),
      swagger.ApiResponse({
        status: 200,
        description: summary,
        content: {
          'text/event-stream': {
            schema: {
              type: 'string',
              description:
                'Events `message` and `conversation`, each with `data` as JSON; a last `expired` event when a session token expires.',
            },
          },
        },
      }),
    ),
  );

/** A raw body of the given media types (the inbound email routes read the stream themselves). */
export const ApiRawBody = (mediaTypes: string[], description: string) =>
  DeferredSwagger((swagger) =>
    applyDecorators(
      swagger.ApiConsumes(...mediaTypes),
      swagger.ApiBody({ description, schema: { type: 'string', format: 'binary' } }),
    ),
  );

/** The optional `?mailbox=<slug>` of a route (default `default`; an unknown one answers 404). */
export const ApiMailboxQuery = () =>
  DeferredSwagger((swagger) =>
    swagger.ApiQuery({
      name: 'mailbox',
      required: false,
      type: String,
      description: 'The mailbox slug (default `default`).',
    }),
  );

/** The `:slug` of a mailbox route. */
export const ApiSlugParam = () =>
  DeferredSwagger((swagger) =>
    swagger.ApiParam({ name: 'slug', type: String, description: 'The mailbox slug.' }),
  );

/** The `:id` of a conversation route. */
export const ApiConversationIdParam = () =>
  DeferredSwagger((swagger) =>
    swagger.ApiParam({ name: 'id', type: String, description: "The conversation's public id." }),
  );

/** Routes behind the customer's widget session token. */
export const ApiCustomerAuth = () =>
  DeferredSwagger((swagger) => swagger.ApiSecurity(HELPER_SESSION_SECURITY));

/** Routes behind the host's admin guard: the host names its scheme in `openApi.staffSecurity`. */
export const ApiStaffAuth = () =>
  DeferredSwagger((swagger, options) =>
    options.staffSecurity === undefined
      ? () => undefined
      : swagger.ApiSecurity(options.staffSecurity),
  );

/** The raw inbound route: the inbound secret as a bearer token. */
export const ApiInboundBearerAuth = () =>
  DeferredSwagger((swagger) => swagger.ApiSecurity(HELPER_INBOUND_BEARER_SECURITY));

/** A provider's inbound route: its signature, or the inbound secret as the Basic auth password. */
export const ApiInboundBasicAuth = () =>
  DeferredSwagger((swagger) => swagger.ApiSecurity(HELPER_INBOUND_BASIC_SECURITY));

/** Groups a controller's routes under a tag. */
export const ApiGroup = (tag: string) => DeferredSwagger((swagger) => swagger.ApiTags(tag));

/** A multipart upload of one file in the field `file`. */
export const ApiFileUpload = () =>
  DeferredSwagger((swagger) =>
    applyDecorators(
      swagger.ApiConsumes('multipart/form-data'),
      swagger.ApiBody({
        schema: {
          type: 'object',
          required: ['file'],
          properties: { file: { type: 'string', format: 'binary' } },
        },
      }),
    ),
  );

/** A route that answers a file's bytes (its type is the file's own). */
export const ApiFileResponse = (summary: string, description: string) =>
  DeferredSwagger((swagger) =>
    applyDecorators(
      swagger.ApiOperation({ summary, description }),
      swagger.ApiResponse({
        status: 200,
        description: summary,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      }),
      ...([401, 404, 410] as const).map((status) =>
        swagger.ApiResponse({ status, description: ERROR_MEANINGS[status], type: ErrorBodySchema }),
      ),
    ),
  );
