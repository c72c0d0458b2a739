import busboy from 'busboy';
import { badRequest, payloadTooLarge, unsupportedMediaType } from '../email-errors.js';
import { envelopeLimit, mediaType, readBody, type InboundRequest } from './inbound-request.js';

const FORM_TYPES = new Set(['multipart/form-data', 'application/x-www-form-urlencoded']);

// Providers post a few dozen fields at most (SendGrid: envelope, SPF, charsets…; Mailgun:
// sender, recipient, body-plain, …). Far more is not a provider.
const MAX_FIELDS = 100;

/**
 * The text fields of a multipart or urlencoded form, first value of each name. Files are skipped:
 * the raw message always comes as a field. Any field over `maxFieldBytes` is 413.
 */
export async function readFormFields(
  request: InboundRequest,
  maxFieldBytes: number,
  /** The most bytes read of the whole form (default: a provider's envelope around the message). */
  maxBodyBytes = envelopeLimit(maxFieldBytes),
): Promise<Map<string, string>> {
  if (!FORM_TYPES.has(mediaType(request.contentType))) {
    throw unsupportedMediaType(
      'The body must be multipart/form-data or application/x-www-form-urlencoded.',
    );
  }
  const body = await readBody(request.body, maxBodyBytes);
  return parseForm(body, request.contentType!, maxFieldBytes);
}

/** The bytes of a field value, as the provider sent them; see `defCharset` below. */
export const fieldBytes = (value: string): Buffer =>
  // busboy decoded the value with latin1, one character per byte, unless the part named a
  // charset of its own; only a decoder other than latin1 can answer characters above U+00FF.
  Buffer.from(value, /[^\u0000-\u00ff]/.test(value) ? 'utf8' : 'latin1');

function parseForm(body: Buffer, contentType: string, maxFieldBytes: number) {
  return new Promise<Map<string, string>>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        // latin1 keeps every byte as one character, so a message with 8-bit text in a charset
        // other than UTF-8 comes out byte for byte (fieldBytes turns it back).
        defCharset: 'latin1',
        limits: { fieldSize: maxFieldBytes, fields: MAX_FIELDS, files: 0, parts: MAX_FIELDS },
      });
    } catch {
      reject(badRequest('The form body cannot be read: its Content-Type has no usable boundary.'));
      return;
    }
    const fields = new Map<string, string>();
    const fail = (error: Error) => {
      parser.removeAllListeners();
      // A parser that failed may still emit; a listener keeps that from being an uncaught error.
      parser.on('error', () => undefined);
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(payloadTooLarge(maxFieldBytes));
      else if (!fields.has(name)) fields.set(name, value);
    });
    parser.on('fieldsLimit', () =>
      fail(badRequest(`The form has more than ${MAX_FIELDS} fields.`)),
    );
    parser.on('partsLimit', () => fail(badRequest(`The form has more than ${MAX_FIELDS} parts.`)));
    parser.on('error', () => fail(badRequest('The form body is malformed.')));
    parser.on('close', () => resolve(fields));
    parser.end(body);
  });
}
