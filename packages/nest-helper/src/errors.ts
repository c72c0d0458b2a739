import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ApiErrorBody, FieldError } from '@helperkit/core';

/** An error a client can act on: status, machine-readable code, human message, field errors. */
export class HelperHttpError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly fields?: readonly FieldError[],
  ) {
    super({ statusCode: status, code, message, ...(fields ? { fields } : {}) }, status);
  }
}

export const validationFailed = (
  fields: readonly FieldError[],
  message = 'The request is not valid.',
) => new HelperHttpError(HttpStatus.BAD_REQUEST, 'validation_failed', message, fields);

export const notFound = (what: string) =>
  new HelperHttpError(HttpStatus.NOT_FOUND, 'not_found', `${what} was not found.`);

const CODES_BY_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * The one error shape of every helperkit endpoint: `{ statusCode, code, message, fields? }`.
 * Unexpected errors become a 500 with a generic message; their detail goes to the log only.
 */
@Catch()
export class HelperExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HelperModule');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response: unknown = host.switchToHttp().getResponse();
    const body = this.toBody(exception);
    // Through the adapter: Express's response and Fastify's reply answer JSON differently.
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(response)) return;
    adapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HelperHttpError) return exception.getResponse() as ApiErrorBody;
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const answer = exception.getResponse();
      const message =
        typeof answer === 'string'
          ? answer
          : typeof (answer as { message?: unknown }).message === 'string'
            ? (answer as { message: string }).message
            : exception.message;
      return { statusCode, code: CODES_BY_STATUS[statusCode] ?? 'error', message };
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return {
      statusCode: 500,
      code: 'internal_error',
      message: 'Something went wrong on the server.',
    };
  }
}
