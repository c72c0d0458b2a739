import { HttpStatus } from '@nestjs/common';
import { HelperHttpError } from '../errors.js';

// The errors an inbound endpoint answers (docs/http-api.md). Messages say which check failed, never
// what was expected: no secret, signature or expected value is ever part of one.

export const unauthorized = (message: string) =>
  new HelperHttpError(HttpStatus.UNAUTHORIZED, 'unauthorized', message);

export const malformedMessage = (message: string) =>
  new HelperHttpError(HttpStatus.BAD_REQUEST, 'malformed_message', message);

export const badRequest = (message: string) =>
  new HelperHttpError(HttpStatus.BAD_REQUEST, 'bad_request', message);

export const unsupportedMediaType = (message: string) =>
  new HelperHttpError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', message);

export const payloadTooLarge = (limitBytes: number) =>
  new HelperHttpError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'payload_too_large',
    `The message is larger than the limit of ${limitBytes} bytes.`,
  );
