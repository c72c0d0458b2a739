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

/** The first comma- or space-separated token of each occurrence of a header, lowercased. */
export const headerTokens = (headers: Headers, name: string): string[] =>
  headerStrings(headers, name).flatMap((value) =>
    value
      .toLowerCase()
      .split(/[\s,;]+/)
      .filter((token) => token !== ''),
  );
