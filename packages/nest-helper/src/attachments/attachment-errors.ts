import { HttpStatus } from '@nestjs/common';
import { HelperHttpError } from '../errors.js';

// The errors of the attachment routes (docs/http-api.md, "Attachments").

export const fileTooLarge = (maxBytes: number) =>
  new HelperHttpError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'file_too_large',
    `The file is larger than the limit of ${maxBytes} bytes.`,
  );

export const badUpload = (code: string, message: string) =>
  new HelperHttpError(HttpStatus.BAD_REQUEST, code, message);

export const typeNotAllowed = () =>
  new HelperHttpError(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'file_type_not_allowed',
    'This type of file is not accepted: send an image (PNG, JPEG, GIF, WebP), a PDF or plain text.',
  );

export const tooManyUploads = (max: number) =>
  new HelperHttpError(
    HttpStatus.TOO_MANY_REQUESTS,
    'too_many_uploads',
    `This conversation already has ${max} files waiting to be sent: send or drop them first.`,
  );
