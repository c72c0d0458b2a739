/** A raw header line as mailparser's `headerLines` gives it: lowercase key, `Name: value` line. */
export interface HeaderLine {
  key: string;
  line: string;
}

/**
 * The values of every header named `name`, topmost first, folding kept (the parsers read it as
 * whitespace). The topmost copy is the one the last server (the receiving MTA or the provider)
 * added; lower copies came with the message.
 */
export function headerValues(headerLines: readonly HeaderLine[], name: string): string[] {
  const key = name.toLowerCase();
  return headerLines
    .filter((header) => header.key.toLowerCase() === key)
    .map((header) => header.line.slice(header.line.indexOf(':') + 1));
}

/** The topmost value of a header, or null when the message has none. */
export const topmostHeader = (headerLines: readonly HeaderLine[], name: string): string | null =>
  headerValues(headerLines, name)[0] ?? null;
