import { badRequest, payloadTooLarge, unsupportedMediaType } from '../email-errors.js';
import { envelopeLimit, mediaType, readBody, type InboundRequest } from './inbound-request.js';
import { parseMultipartForm, percentDecoded, type FormPart } from './multipart-form.js';

export type { FormPart } from './multipart-form.js';

// Providers post a few dozen fields (SendGrid: envelope, SPF, charsets…; Mailgun: sender,
// recipient, body-plain, …) and one part per attachment. Far more is not a provider.
const MAX_PARTS = 250;

/** A provider's form: its text fields (the first of each name) and its files, bytes as sent. */
export interface InboundForm {
  fields: ReadonlyMap<string, FormPart>;
  files: readonly FormPart[];
}

/** The fields of an `application/x-www-form-urlencoded` body, each value's bytes as encoded. */
function parseUrlencoded(body: Buffer, maxFieldBytes: number): FormPart[] {
  const pairs = body.toString('latin1').split('&');
  if (pairs.length > MAX_PARTS) throw badRequest(`The form has more than ${MAX_PARTS} fields.`);
  return pairs.flatMap((pair) => {
    if (pair === '') return [];
    const equals = pair.indexOf('=');
    const decode = (text: string) => percentDecoded(text.replace(/\+/g, ' '));
    const name = decode(equals === -1 ? pair : pair.slice(0, equals)).toString('utf8');
    const bytes = decode(equals === -1 ? '' : pair.slice(equals + 1));
    if (bytes.length > maxFieldBytes) throw payloadTooLarge(maxFieldBytes);
    return [{ name, bytes, charset: null, filename: null, mediaType: null }];
  });
}

/**
 * A provider's multipart or urlencoded form, read with the module's own limits: at most
 * `maxBodyBytes` in all (default: a provider's envelope around the message), and no text field
 * over `maxFieldBytes` (413).
 */
export async function readForm(
  request: InboundRequest,
  maxFieldBytes: number,
  maxBodyBytes = envelopeLimit(maxFieldBytes),
): Promise<InboundForm> {
  const type = mediaType(request.contentType);
  if (type !== 'multipart/form-data' && type !== 'application/x-www-form-urlencoded') {
    throw unsupportedMediaType(
      'The body must be multipart/form-data or application/x-www-form-urlencoded.',
    );
  }
  const body = await readBody(request.body, maxBodyBytes);
  const parts =
    type === 'multipart/form-data'
      ? parseMultipartForm(body, request.contentType!, {
          parts: MAX_PARTS,
          fieldBytes: maxFieldBytes,
        })
      : parseUrlencoded(body, maxFieldBytes);
  const fields = new Map<string, FormPart>();
  for (const part of parts) {
    if (part.filename === null && !fields.has(part.name)) fields.set(part.name, part);
  }
  return { fields, files: parts.filter((part) => part.filename !== null) };
}

/** Text in the charset it is labelled with; UTF-8 when unlabelled or labelled with an unknown one. */
export function decodeText(bytes: Buffer, charset: string | null | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * The text fields as text, each in the charset its part names (UTF-8 otherwise); `except` names
 * fields that stay bytes (a raw message of many megabytes is never needed as a string).
 */
export const textFields = (
  form: InboundForm,
  except: readonly string[] = [],
): Map<string, string> =>
  new Map(
    [...form.fields]
      .filter(([name]) => !except.includes(name))
      .map(([name, part]) => [name, decodeText(part.bytes, part.charset)]),
  );
