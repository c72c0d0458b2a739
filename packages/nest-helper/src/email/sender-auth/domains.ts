import { domainToASCII } from 'node:url';
import { getDomain } from 'tldts';

// Domains longer than DNS allows are not domains (RFC 1035: 253 characters in text form).
const MAX_DOMAIN_LENGTH = 253;

/**
 * A domain in the one form that compares: ASCII (IDN labels as punycode), lowercase, without a
 * final dot. Null when it is not a usable domain name (empty, an IP literal, bad IDN).
 */
export function asciiDomain(domain: string): string | null {
  const trimmed = domain.trim().replace(/\.$/, '');
  if (trimmed === '' || trimmed.length > MAX_DOMAIN_LENGTH * 4) return null;
  const ascii = domainToASCII(trimmed);
  if (ascii === '' || ascii.length > MAX_DOMAIN_LENGTH || !ascii.includes('.')) return null;
  if (ascii.split('.').some((label) => label === '')) return null;
  return ascii;
}

/**
 * The domain of an identity as authentication reports write it: `user@example.com`,
 * `@example.com`, `<user@example.com>` or `example.com`. Null when there is none.
 */
export function domainOfIdentity(identity: string): string | null {
  const bare = identity.trim().replace(/^<(.*)>$/, '$1');
  return asciiDomain(bare.slice(bare.lastIndexOf('@') + 1));
}

/**
 * The registrable domain (the part a registrant owns, e.g. `example.co.uk`) from the Public
 * Suffix List, private entries included: `alice.github.io` and `bob.github.io` are different
 * owners. Null for a public suffix itself and for names no one can register.
 */
export const registrableDomain = (asciiName: string): string | null =>
  getDomain(asciiName, { allowPrivateDomains: true });

/**
 * Whether evidence about `evidenceDomain` speaks for mail from `fromDomain`: the same domain, or a
 * parent of it that is still inside its registrable domain (`example.com` for `mail.example.com`,
 * never `com` or `co.uk`). A child or sibling of the From domain does not count.
 * See docs/email-authentication.md.
 */
export function isAligned(evidenceDomain: string, fromDomain: string): boolean {
  const evidence = asciiDomain(evidenceDomain);
  const from = asciiDomain(fromDomain);
  if (evidence === null || from === null) return false;
  const registrable = registrableDomain(from);
  if (registrable === null) return false;
  if (evidence === from) return true;
  return (
    from.endsWith(`.${evidence}`) &&
    (evidence === registrable || evidence.endsWith(`.${registrable}`))
  );
}
