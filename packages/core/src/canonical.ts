import canonicalizeExport from 'canonicalize';
import { isPlainObject } from './errors.js';

// The canonical form of customer metadata that `metadataHash` signs: RFC 8785, the JSON
// Canonicalization Scheme (keys sorted by UTF-16 code units, no whitespace, numbers as
// JavaScript prints them), so a host in any language that has a JCS library signs the same bytes.
// See docs/protocol.md.

// canonicalize 2 is CommonJS (later majors are ES-module-only or need Node 22) and its typings
// declare an ES default export; loaded from an ES module, the default is the function itself.
const canonicalize = canonicalizeExport as unknown as (value: unknown) => string;

/** Nesting deeper than this is refused; real metadata is two levels deep (`links`). */
export const MAX_METADATA_DEPTH = 32;
/**
 * Most UTF-16 code units of text (keys and strings) a signed metadata object may hold, each other
 * value counting as one, so that neither long strings nor long arrays make canonicalisation a
 * chore. The largest valid metadata (20 long links, a long name and context) stays well under it.
 */
export const MAX_METADATA_TEXT_LENGTH = 131_072;

// With the `u` flag, `\p{Cs}` matches only a surrogate that is not half of a pair: text that has
// no UTF-8 form, so no host could sign it.
const LONE_SURROGATE = /\p{Cs}/u;

interface Walk {
  /** Text still allowed before the object is too large. */
  budget: number;
}

function spend(walk: Walk, length: number): void {
  walk.budget -= length;
  if (walk.budget < 0) {
    throw new TypeError(`metadata holds more than ${MAX_METADATA_TEXT_LENGTH} characters of text.`);
  }
}

function checkText(text: string, path: string, walk: Walk): void {
  spend(walk, text.length);
  if (LONE_SURROGATE.test(text)) {
    throw new TypeError(`${path} contains a lone UTF-16 surrogate, which has no UTF-8 form.`);
  }
}

function checkValue(value: unknown, path: string, depth: number, walk: Walk): void {
  if (typeof value === 'string') return checkText(value, path, walk);
  spend(walk, 1);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`${path} must be a finite number.`);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return;
  if (depth >= MAX_METADATA_DEPTH) {
    throw new TypeError(`metadata is nested deeper than ${MAX_METADATA_DEPTH} levels.`);
  }
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      if (item === undefined) throw new TypeError(`${path}[${index}] is undefined.`);
      checkValue(item, `${path}[${index}]`, depth + 1, walk);
    });
    return;
  }
  if (!isPlainObject(value)) {
    throw new TypeError(
      `${path} is not a JSON value (a string, number, boolean, null, array or object).`,
    );
  }
  for (const [key, item] of Object.entries(value)) {
    checkText(key, `${path} (a key)`, walk);
    // An undefined property is left out, as JSON.stringify leaves it out of what is sent.
    if (item !== undefined) checkValue(item, `${path}.${key}`, depth + 1, walk);
  }
}

/**
 * RFC 8785 canonical JSON of customer metadata exactly as sent (before any trimming): the text
 * that `metadataHash` signs after `metadata:v1:<email>:<timestamp>:`.
 *
 * Throws a `TypeError` that names the offending path for anything a host could not sign the same
 * way: a value that is not a JSON object at the top, a non-finite number, a lone surrogate, a
 * `Date` or other non-JSON value, nesting deeper than {@link MAX_METADATA_DEPTH} levels, or more
 * than {@link MAX_METADATA_TEXT_LENGTH} characters of text.
 */
export function canonicalMetadata(metadata: unknown): string {
  if (!isPlainObject(metadata)) throw new TypeError('metadata must be a JSON object.');
  checkValue(metadata, 'metadata', 0, { budget: MAX_METADATA_TEXT_LENGTH });
  return canonicalize(metadata);
}
