import { fileTypeFromBuffer } from 'file-type';

/** A file's type as its bytes show it, with the extension its stored name gets. */
export interface SniffedType {
  contentType: string;
  extension: string;
}

const TEXT: SniffedType = { contentType: 'text/plain', extension: 'txt' };

// The starts of markup a browser's sniffer takes for HTML or XML (the WHATWG MIME Sniffing
// standard's patterns, plus SVG): such "text" is refused even when declared text/plain, so a file
// opened outside the browser's protection never runs as a page.
const MARKUP =
  /^\s*<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|\?xml|svg)[\s>/]/i;

const isText = (bytes: Buffer): boolean => {
  if (bytes.includes(0)) return false;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return !MARKUP.test(text.slice(0, 1024));
  } catch {
    return false;
  }
};

const mediaType = (declared: string | undefined) =>
  (declared ?? '').split(';', 1)[0]!.trim().toLowerCase();

/**
 * The type of a file from its bytes (`file-type`), when `allowed` lists it; plain text is valid
 * UTF-8 without NUL that its sender declared `text/plain`. Null for anything else: the declared
 * type and the name are never trusted (docs/security-model.md, "Attachments").
 */
export async function sniffAllowedType(
  bytes: Buffer,
  declared: string | undefined,
  allowed: ReadonlySet<string>,
): Promise<SniffedType | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) {
    return allowed.has(found.mime) ? { contentType: found.mime, extension: found.ext } : null;
  }
  return allowed.has('text/plain') && mediaType(declared) === 'text/plain' && isText(bytes)
    ? TEXT
    : null;
}
