import { HttpStatus, type ExecutionContext } from '@nestjs/common';
import { HelperHttpError } from '../errors.js';

/** 429 `rate_limited`: the client is over a limit, and may try again in `retryAfterSeconds`. */
export class RateLimitedError extends HelperHttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', message);
  }
}

type HeaderResponse = {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
};

/** Puts the error's `Retry-After` on the response: Express and Fastify name the setter apart. */
export function setRetryAfter(context: ExecutionContext, error: RateLimitedError): void {
  const response = context.switchToHttp().getResponse<HeaderResponse>();
  const value = String(error.retryAfterSeconds);
  if (typeof response.header === 'function') response.header('Retry-After', value);
  else response.setHeader?.('Retry-After', value);
}

/** Runs `check`; a RateLimitedError it throws leaves with its `Retry-After` header set. */
export async function withRetryAfter(
  context: ExecutionContext,
  check: () => Promise<unknown>,
): Promise<true> {
  try {
    await check();
    return true;
  } catch (error) {
    if (error instanceof RateLimitedError) setRetryAfter(context, error);
    throw error;
  }
}
