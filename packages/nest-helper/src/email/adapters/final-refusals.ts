import { HttpStatus } from '@nestjs/common';
import { HelperHttpError } from '../../errors.js';

/**
 * The only status after which each provider stops retrying: Postmark retries every answer but a
 * 2xx or 403, Mailgun every answer but a 2xx or 406. A request these routes refuse (bad
 * credentials or signature, a replayed token, store-and-notify, a form or JSON that is not the
 * provider's) will be refused every time, so it answers that status, with the refusal's own
 * `code` and message. A message over the size limit keeps its 413: the limits are the providers'
 * own, so only a host that lowered `maxMessageBytes` sees one. See docs/email.md.
 */
const FINAL_STATUS = {
  postmark: HttpStatus.FORBIDDEN,
  mailgun: HttpStatus.NOT_ACCEPTABLE,
} as const;

const isRefusal = (error: unknown): error is HelperHttpError =>
  error instanceof HelperHttpError &&
  error.getStatus() >= 400 &&
  error.getStatus() < 500 &&
  // A rate limit passes (the provider should come back later), and so does a size refusal.
  error.getStatus() !== HttpStatus.TOO_MANY_REQUESTS &&
  error.getStatus() !== HttpStatus.PAYLOAD_TOO_LARGE;

/** Rethrows a refusal with the provider's final status; anything else (5xx: retry) as it is. */
export const finalRefusals =
  (provider: keyof typeof FINAL_STATUS) =>
  (error: unknown): never => {
    if (!isRefusal(error)) throw error;
    const { message } = error.getResponse() as { message: string };
    throw new HelperHttpError(FINAL_STATUS[provider], error.code, message, error.fields);
  };
