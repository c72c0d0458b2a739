import { describe, expect, it } from '@jest/globals';
import {
  asciiDomain,
  domainOfIdentity,
  isAligned,
} from '../../../src/email/sender-auth/domains.js';

describe('isAligned(evidence domain, From domain)', () => {
  it.each([
    ['example.com', 'example.com', 'the same domain'],
    ['example.com', 'mail.example.com', 'the registrable parent of a subdomain'],
    ['example.com', 'a.b.example.com', 'a grandparent inside the registrable domain'],
    ['b.example.com', 'a.b.example.com', 'a parent below the registrable domain'],
    ['example.co.uk', 'mail.example.co.uk', 'a parent under a two-label public suffix'],
    ['EXAMPLE.COM', 'Mail.Example.com', 'any case'],
    ['example.com.', 'mail.example.com', 'a fully qualified name with its final dot'],
    ['xn--bcher-kva.de', 'bücher.de', 'an IDN as punycode against Unicode'],
    ['bücher.de', 'mail.xn--bcher-kva.de', 'an IDN as Unicode against punycode'],
    ['пример.рф', 'почта.пример.рф', 'an IDN parent under an IDN suffix'],
  ])('%s speaks for %s: %s', (evidence, from) => {
    expect(isAligned(evidence, from)).toBe(true);
  });

  it.each([
    ['mail.example.com', 'example.com', 'a child of the From domain'],
    ['other.example.com', 'mail.example.com', 'a sibling'],
    ['example.net', 'example.com', 'another registrable domain'],
    ['ample.com', 'example.com', 'a suffix that is not a label boundary'],
    ['com', 'example.com', 'a top-level domain'],
    ['co.uk', 'example.co.uk', 'a two-label public suffix'],
    ['github.io', 'alice.github.io', 'a private public suffix (one owner per subdomain)'],
    ['alice.github.io', 'bob.github.io', 'a neighbour under a private public suffix'],
    ['', 'example.com', 'nothing'],
    ['example.com', '', 'no From domain'],
    ['example..com', 'example.com', 'an empty label'],
    ['[192.0.2.1]', '[192.0.2.1]', 'an address literal'],
    ['localhost', 'localhost', 'a name no one can register'],
    ['co.uk', 'co.uk', 'a From domain that is itself a public suffix'],
  ])('%s does not speak for %s: %s', (evidence, from) => {
    expect(isAligned(evidence, from)).toBe(false);
  });
});

describe('domain forms', () => {
  it('normalises to lowercase ASCII without the final dot', () => {
    expect(asciiDomain('Mail.Bücher.DE.')).toBe('mail.xn--bcher-kva.de');
    expect(asciiDomain('exa mple.com')).toBeNull();
    expect(asciiDomain(`${'a'.repeat(250)}.com`)).toBeNull();
  });

  it('finds the domain of every identity shape reports use', () => {
    expect(domainOfIdentity('ann@Example.com')).toBe('example.com');
    expect(domainOfIdentity('@example.com')).toBe('example.com');
    expect(domainOfIdentity('<bounce+x=y@mail.example.com>')).toBe('mail.example.com');
    expect(domainOfIdentity('example.com')).toBe('example.com');
    expect(domainOfIdentity('"a@b" @')).toBeNull();
  });
});
