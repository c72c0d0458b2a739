import { describe, expect, it } from '@jest/globals';
import { HttpStatus } from '@nestjs/common';
import { finalRefusals } from '../../src/email/adapters/index.js';
import { HelperHttpError } from '../../src/errors.js';

const refusedAs = (provider: 'postmark' | 'mailgun', error: unknown): unknown => {
  try {
    finalRefusals(provider)(error);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected a throw');
};

describe('finalRefusals', () => {
  it("gives a refusal the provider's final status, keeping its code and message", () => {
    const refusal = new HelperHttpError(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Wrong secret.');
    for (const [provider, status] of [
      ['postmark', 403],
      ['mailgun', 406],
    ] as const) {
      const thrown = refusedAs(provider, refusal) as HelperHttpError;
      expect(thrown.getResponse()).toEqual({
        statusCode: status,
        code: 'unauthorized',
        message: 'Wrong secret.',
      });
    }
  });

  it('lets through what the provider should retry or what is about size', () => {
    for (const error of [
      new HelperHttpError(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', 'Later.'),
      new HelperHttpError(HttpStatus.PAYLOAD_TOO_LARGE, 'payload_too_large', 'Too big.'),
      new HelperHttpError(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', 'Down.'),
      new Error('the database is gone'),
    ]) {
      expect(refusedAs('mailgun', error)).toBe(error);
    }
  });
});
