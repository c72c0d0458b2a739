import { HeaderCursor } from './header-cursor.js';

export interface ReceivedSpf {
  /** Lowercased, e.g. `pass`, `softfail`. */
  result: string;
  /** Lowercased keys (`identity`, `envelope-from`, `client-ip`, …) to their values as written. */
  params: ReadonlyMap<string, string>;
}

/**
 * Parses the value of a Received-SPF header (RFC 7208 section 9.1): a result, an optional comment,
 * then `key=value` pairs separated by `;`. Null when it does not follow that shape.
 * See docs/email-authentication.md.
 */
export function parseReceivedSpf(value: string): ReceivedSpf | null {
  const cursor = new HeaderCursor(value);
  try {
    const result = cursor.keyword();
    const params = new Map<string, string>();
    cursor.skipCfws();
    while (!cursor.done) {
      const key = cursor.keyword();
      cursor.expect('=');
      const keyValue = cursor.value();
      if (!params.has(key)) params.set(key, keyValue);
      cursor.eat(';');
      cursor.skipCfws();
    }
    return { result, params };
  } catch {
    return null;
  }
}

/**
 * The envelope sender an SPF pass vouches for: `envelope-from`, unless the header says the
 * identity checked was another one (`identity=helo`). Null when there is none.
 */
export function spfMailFrom(spf: ReceivedSpf): string | null {
  const identity = spf.params.get('identity')?.toLowerCase();
  if (identity !== undefined && identity !== 'mailfrom') return null;
  const envelopeFrom = spf.params.get('envelope-from');
  return envelopeFrom === undefined || envelopeFrom === '' ? null : envelopeFrom;
}
