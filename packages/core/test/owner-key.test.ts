import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ownerKeyForEmail } from '../src/index.js';

describe('ownerKeyForEmail', () => {
  it('makes addresses that differ only in ASCII case one owner', () => {
    expect(ownerKeyForEmail('Ann@X.com')).toBe('ann@x.com');
    expect(ownerKeyForEmail('ANN.LEE+Support@Example.COM')).toBe('ann.lee+support@example.com');
  });

  it.each([
    ['the Kelvin sign', '\u212Aate@x.com', 'kate@x.com'],
    ['the Turkish dotted capital I', '\u0130da@x.com', 'ida@x.com'],
    ['the Turkish dotless small i', '\u0131da@x.com', 'ida@x.com'],
    ['the long s', 'ro\u017Fe@x.com', 'rose@x.com'],
    ['the sharp s', 'stra\u00DFe@x.com', 'strasse@x.com'],
    ['a fullwidth capital A', '\uFF21nn@x.com', 'ann@x.com'],
  ])('keeps %s apart from its ASCII look-alike', (_label, lookAlike, ascii) => {
    expect(ownerKeyForEmail(lookAlike)).toBe(lookAlike);
    expect(ownerKeyForEmail(lookAlike)).not.toBe(ownerKeyForEmail(ascii));
  });

  it('leaves non-ASCII capitals as they are', () => {
    expect(ownerKeyForEmail('ZOË@ÉCOLE.FR')).toBe('zoË@École.fr');
  });

  it('changes nothing but A-Z, one for one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (email) => {
        const key = ownerKeyForEmail(email);
        expect(key.length).toBe(email.length);
        for (let index = 0; index < email.length; index++) {
          const char = email[index]!;
          expect(key[index]).toBe(/[A-Z]/.test(char) ? char.toLowerCase() : char);
        }
        expect(ownerKeyForEmail(key)).toBe(key);
      }),
    );
  });
});
