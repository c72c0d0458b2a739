import type { HeaderValue, Headers } from 'mailparser';

/**
 * A parsed header as plain strings, one per occurrence: mailparser answers a string, an array for a
 * repeated header, or an object (`{ value, params }` for structured headers, `{ text }` for address
 * headers) depending on the header's name.
 */
export function headerStrings(headers: Headers, name: string): string[] {
  const value = headers.get(name);
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((one: HeaderValue) => {
    if (typeof one === 'string') return one;
    if (one instanceof Date) return one.toISOString();
    if ('value' in one && typeof one.value === 'string') return one.value;
    if ('text' in one && typeof one.text === 'string') return one.text;
    return '';
  });
}

/** One header field as written: its name lowercased, its value unfolded and trimmed. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** A header field from one `Name: value` line, folded lines included; null when it has no name. */
export function headerField(line: string): HeaderField | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  return {
    name: line.slice(0, colon).trim().toLowerCase(),
    value: line
      .slice(colon + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim(),
  };
}

/**
 * The fields of a header block (a message's head, or a block of a delivery report, RFC 3464),
 * up to its first empty line. Lines that are not fields are ignored.
 */
export function headerBlockFields(block: string): HeaderField[] {
  const head = block.split(/\r?\n\r?\n/, 1)[0] ?? '';
  return head
    .split(/\r?\n(?![ \t])/)
    .map(headerField)
    .filter((field): field is HeaderField => field !== null);
}

/**
 * Every value of a header, one per occurrence. mailparser keeps only the first of some repeated
 * headers (`Precedence` among them), so the loop rules read the fields as written.
 */
export const fieldValues = (fields: readonly HeaderField[], name: string): string[] =>
  fields.filter((field) => field.name === name).map((field) => field.value);

/** Every comma-, semicolon- or space-separated token of every occurrence of a header, lowercased. */
export const fieldTokens = (fields: readonly HeaderField[], name: string): string[] =>
  fieldValues(fields, name).flatMap((value) =>
    value
      .toLowerCase()
      .split(/[\s,;]+/)
      .filter((token) => token !== ''),
  );

/** The `<id>` tokens of a header value, dropping comments and anything else around them. */
export const messageIdsIn = (value: string | readonly string[] | undefined): string[] =>
  [value ?? []].flat().flatMap((one) => one.match(/<[^<>\s]+>/g) ?? []);
