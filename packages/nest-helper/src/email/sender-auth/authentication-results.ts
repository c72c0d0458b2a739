import { HeaderCursor, MalformedHeader } from './header-cursor.js';

/** One `method=result` statement of an Authentication-Results header, e.g. `dkim=pass header.d=x`. */
export interface AuthResult {
  /** Lowercased, e.g. `dkim`. */
  method: string;
  /** Lowercased, e.g. `pass`. */
  result: string;
  reason: string | null;
  /** `ptype.property` (lowercased) to its value as written, e.g. `header.d` -> `example.com`. */
  properties: ReadonlyMap<string, string>;
}

export interface AuthenticationResults {
  /** The authserv-id as written: the name of the server that did the checks. */
  authservId: string;
  version: number | null;
  results: AuthResult[];
  /** How many statements did not parse and were left out. */
  skipped: number;
}

/**
 * Parses the value of an Authentication-Results header (RFC 8601), the part after the colon,
 * folded or not. Null when not even the authserv-id can be read. A statement that does not parse
 * is left out (counted in `skipped`), so it can never be read as a pass; the others still count.
 * See docs/email-authentication.md.
 */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const cursor = new HeaderCursor(value);
  let authservId: string;
  let version: number | null = null;
  try {
    authservId = cursor.value();
    if (authservId === '') return null;
    const digits = cursor.digits();
    if (digits !== null) version = Number(digits);
    cursor.skipCfws();
    if (!cursor.done && cursor.peek() !== ';') return null;
  } catch {
    return null;
  }
  const results: AuthResult[] = [];
  let skipped = 0;
  while (cursor.eat(';')) {
    try {
      const result = resinfo(cursor);
      if (result !== null) results.push(result);
    } catch (error) {
      if (!(error instanceof MalformedHeader)) throw error;
      skipped++;
      cursor.skipTo(';');
    }
  }
  return { authservId, version, results, skipped };
}

/** One statement after a `;`; null for the `none` statement (no checks were done). */
function resinfo(cursor: HeaderCursor): AuthResult | null {
  const method = cursor.keyword();
  if (method === 'none' && atStatementEnd(cursor)) return null;
  if (cursor.eat('/') && cursor.digits() === null) throw new MalformedHeader('method version');
  cursor.expect('=');
  const result = cursor.keyword();
  let reason: string | null = null;
  const properties = new Map<string, string>();
  while (!atStatementEnd(cursor)) {
    const name = cursor.keyword();
    if (cursor.eat('.')) {
      const property = `${name}.${cursor.keyword()}`;
      cursor.expect('=');
      const propertyValue = cursor.value();
      // The first copy of a property counts; a repeated one cannot override it.
      if (!properties.has(property)) properties.set(property, propertyValue);
    } else {
      cursor.expect('=');
      const bare = cursor.value();
      // `reason=` is standard; other bare `key=value` pairs (Microsoft writes `action=none`)
      // are tolerated and ignored rather than costing the whole statement.
      if (name === 'reason') reason = bare;
    }
  }
  return { method, result, reason, properties };
}

const atStatementEnd = (cursor: HeaderCursor): boolean => {
  cursor.skipCfws();
  return cursor.done || cursor.peek() === ';';
};
