import { badRequest, payloadTooLarge } from '../email-errors.js';

/** One part of a multipart/form-data body, its content exactly as sent. */
export interface FormPart {
  name: string;
  bytes: Buffer;
  /** The `charset` its Content-Type names, lowercased; null when it names none. */
  charset: string | null;
  /** Its file name: set for files (attachments), null for text fields. */
  filename: string | null;
  /** Its media type, lowercased, without parameters; null when it has no Content-Type. */
  mediaType: string | null;
}

export interface MultipartLimits {
  /** The most parts of one form. */
  parts: number;
  /** The most bytes of one text field (files count only towards the body's own limit). */
  fieldBytes: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
// A part's header block is a few lines; far more is not a form.
const MAX_PART_HEADER_BYTES = 16 * 1024;
// `name="value"` or `name=token` parameters of a header (RFC 7578 section 4.2, RFC 2045).
const PARAMETER = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;

const malformed = () => badRequest('The form body is malformed.');

/** The parameters of a header value such as `form-data; name="email"`, names lowercased. */
export function headerParameters(value: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const match of value.matchAll(PARAMETER)) {
    const name = match[1]!.toLowerCase();
    if (!parameters.has(name)) {
      parameters.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!);
    }
  }
  return parameters;
}

/** An RFC 5987 `filename*` value (`utf-8''n%C3%A4me.pdf`), decoded; null when it is not one. */
function extendedValue(value: string | undefined): string | null {
  const match = /^([\w-]+)'[^']*'(.*)$/.exec(value ?? '');
  if (match === null) return null;
  try {
    return new TextDecoder(match[1]!).decode(percentDecoded(match[2]!));
  } catch {
    return null;
  }
}

/** The value of a hexadecimal digit's character code, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** The bytes of a percent-encoded text (`%C3%A4` is two bytes); other characters as one byte each. */
export function percentDecoded(text: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  let length = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    const high = code === 0x25 ? hexDigit(text.charCodeAt(at + 1)) : -1;
    const low = high === -1 ? -1 : hexDigit(text.charCodeAt(at + 2));
    if (low === -1) {
      bytes[length++] = code & 0xff;
    } else {
      bytes[length++] = high * 16 + low;
      at += 2;
    }
  }
  return bytes.subarray(0, length);
}

/** The header fields of one part's header block, names lowercased, folded lines joined. */
function partHeaders(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  // Header values of a form are ASCII or UTF-8 (RFC 7578 section 5.1.3).
  const lines = block
    .toString('utf8')
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function toPart(block: Buffer, content: Buffer): FormPart | null {
  const headers = partHeaders(block);
  const disposition = headers.get('content-disposition') ?? '';
  if (!/^form-data\b/i.test(disposition)) return null;
  const parameters = headerParameters(disposition);
  const name = parameters.get('name');
  if (name === undefined) return null;
  const contentType = headers.get('content-type');
  const filename = extendedValue(parameters.get('filename*')) ?? parameters.get('filename') ?? null;
  return {
    name,
    bytes: content,
    charset: contentType
      ? (headerParameters(contentType).get('charset')?.toLowerCase() ?? null)
      : null,
    // A path in a file name is the sender's, never ours to follow.
    filename: filename === null ? null : filename.replace(/^.*[\\/]/, ''),
    mediaType: contentType ? contentType.split(';', 1)[0]!.trim().toLowerCase() : null,
  };
}

/**
 * The parts of a multipart/form-data body (RFC 7578), each part's content byte for byte. A form
 * parser that decodes text would turn 8-bit mail in one charset into text in another; the
 * adapters decode each field themselves, with the charset it is labelled with (see docs/email.md).
 */
export function parseMultipartForm(
  body: Buffer,
  contentType: string,
  limits: MultipartLimits,
): FormPart[] {
  const boundary = headerParameters(contentType).get('boundary');
  if (!boundary || boundary.length > 200) {
    throw badRequest('The form body cannot be read: its Content-Type has no usable boundary.');
  }
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may open the body without the CRLF before it.
  let at = body.indexOf(delimiter.subarray(2)) === 0 ? 0 : body.indexOf(delimiter);
  if (at === -1) throw malformed();
  at += at === 0 ? delimiter.length - 2 : delimiter.length;
  const parts: FormPart[] = [];
  for (;;) {
    if (body.subarray(at, at + 2).toString('latin1') === '--') return parts;
    // Anything after the boundary up to the line's end is transport padding.
    const lineEnd = body.indexOf(CRLF, at);
    if (lineEnd === -1) throw malformed();
    const headersEnd = body.indexOf(HEADER_END, lineEnd);
    const blankPart = body.subarray(lineEnd + 2, lineEnd + 4).equals(CRLF);
    const contentStart = blankPart ? lineEnd + 4 : headersEnd + 4;
    if (!blankPart && (headersEnd === -1 || headersEnd - lineEnd > MAX_PART_HEADER_BYTES)) {
      throw malformed();
    }
    const next = body.indexOf(delimiter, contentStart);
    if (next === -1) throw malformed();
    if (parts.length === limits.parts) {
      throw badRequest(`The form has more than ${limits.parts} parts.`);
    }
    const part = toPart(
      body.subarray(lineEnd + 2, contentStart),
      body.subarray(contentStart, next),
    );
    if (part !== null) {
      if (part.filename === null && part.bytes.length > limits.fieldBytes) {
        throw payloadTooLarge(limits.fieldBytes);
      }
      parts.push(part);
    }
    at = next + delimiter.length;
  }
}
