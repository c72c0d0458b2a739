import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  authenticateSender,
  parseAuthenticationResults,
  parseReceivedSpf,
} from '../../../src/email/sender-auth/index.js';

// Pieces of real headers and every character with a meaning in them, so that random sequences
// hit comments, quotes, escapes and separators in every position.
const PIECES = [
  'mx.helperkit.example',
  'mx.helperkit.example; dkim=pass header.d=example.com',
  'dkim',
  'spf',
  'dmarc',
  'pass',
  'fail',
  'header.d',
  'header.from',
  'smtp.mailfrom',
  'example.com',
  'ann@example.com',
  '=',
  ';',
  '.',
  '/',
  '1',
  '@',
  '(',
  ')',
  '"',
  '\\',
  ' ',
  '\r\n ',
];

const headerSoup = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { maxLength: 40 })
  .map((pieces) => pieces.join(''));

describe('sender authentication on any input', () => {
  it('never throws, and authenticates only when a header says pass', () => {
    const outcomes = { authenticated: 0, refused: 0 };
    fc.assert(
      fc.property(headerSoup, headerSoup, (first, second) => {
        expect(() => parseAuthenticationResults(first)).not.toThrow();
        expect(() => parseReceivedSpf(first)).not.toThrow();
        const result = authenticateSender({
          fromAddresses: ['ann@example.com'],
          headerLines: [first, second].map((value) => ({
            key: 'authentication-results',
            line: `Authentication-Results: ${value}`,
          })),
          trustedAuthServIds: ['mx.helperkit.example'],
        });
        if (result.authenticated) {
          outcomes.authenticated++;
          expect(`${first}${second}`.toLowerCase()).toContain('pass');
        } else {
          outcomes.refused++;
          expect(result.reason).not.toBe('');
        }
      }),
      // A fixed seed: the same 500 inputs each run, and the real header among them (below), so
      // the check that both outcomes are reached cannot fail by chance.
      {
        numRuns: 500,
        seed: 20261130,
        examples: [['mx.helperkit.example; dkim=pass header.d=example.com', '']],
      },
    );
    // The generator is worth something only if it reaches both outcomes.
    expect(outcomes.authenticated).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
