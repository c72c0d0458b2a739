import { asciiDomain, domainOfIdentity } from '../domains.js';
import { headerValues, topmostHeader, type HeaderLine } from '../header-lines.js';
import type { ProviderVerdicts, Verdict } from '../verdicts.js';

/** The first word of a verdict header (`Pass`, `SoftFail`, …), lowercased; null when empty. */
function resultOf(value: string | null): string | null {
  const word = value
    ?.trim()
    .split(/[\s;(]/, 1)[0]
    ?.toLowerCase();
  return word ? word : null;
}

/** The `d=` tag of a DKIM-Signature header (RFC 6376 tag list), as a comparable domain. */
function signingDomain(signature: string): string | null {
  for (const tag of signature.split(';')) {
    const equals = tag.indexOf('=');
    if (equals !== -1 && tag.slice(0, equals).trim() === 'd') {
      return asciiDomain(tag.slice(equals + 1).replace(/\s+/g, ''));
    }
  }
  return null;
}

/**
 * The one domain Mailgun's DKIM result can be about: the `d=` every DKIM-Signature of the message
 * names. Mailgun reports one result per message without saying which signature it checked, so
 * with signatures of different domains (or none) the result vouches for no domain.
 */
function checkedSigningDomain(headerLines: readonly HeaderLine[]): string | null {
  const domains = new Set(headerValues(headerLines, 'dkim-signature').map(signingDomain));
  const [only] = domains;
  return domains.size === 1 && only !== undefined ? only : null;
}

/**
 * Mailgun's verdicts: the topmost `X-Mailgun-Spf` and `X-Mailgun-Dkim-Check-Result` headers (the
 * ones Mailgun prepends; lower copies came with the message). SPF aligns through the envelope
 * sender Mailgun posts as the `sender` field (MAIL FROM); DKIM through the signing domain, see
 * `checkedSigningDomain`. See docs/email-authentication.md.
 */
export function mailgunVerdicts(
  headerLines: readonly HeaderLine[],
  fields: ReadonlyMap<string, string>,
): ProviderVerdicts {
  const verdicts: Verdict[] = [];
  const spf = resultOf(topmostHeader(headerLines, 'x-mailgun-spf'));
  if (spf !== null) {
    const sender = fields.get('sender');
    verdicts.push({ method: 'spf', result: spf, domain: sender ? domainOfIdentity(sender) : null });
  }
  const dkim = resultOf(topmostHeader(headerLines, 'x-mailgun-dkim-check-result'));
  if (dkim !== null) {
    verdicts.push({ method: 'dkim', result: dkim, domain: checkedSigningDomain(headerLines) });
  }
  return { provider: 'mailgun', verdicts };
}
