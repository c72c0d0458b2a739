import { parseAuthenticationResults } from '../authentication-results.js';
import { domainOfIdentity } from '../domains.js';
import { topmostHeader, type HeaderLine } from '../header-lines.js';
import { parseReceivedSpf, spfMailFrom } from '../received-spf.js';
import { verdictsOf, type ProviderVerdicts, type Verdict } from '../verdicts.js';

const POSTMARK_DOMAIN = 'postmarkapp.com';

const isPostmarkServer = (authservId: string): boolean => {
  const id = authservId.toLowerCase();
  return id === POSTMARK_DOMAIN || id.endsWith(`.${POSTMARK_DOMAIN}`);
};

/** Postmark's SPF verdict: the topmost Received-SPF, aligned through its `envelope-from`. */
function spfVerdict(headerLines: readonly HeaderLine[]): Verdict[] {
  const value = topmostHeader(headerLines, 'received-spf');
  const spf = value === null ? null : parseReceivedSpf(value);
  if (spf === null) return [];
  const mailFrom = spfMailFrom(spf);
  return [
    { method: 'spf', result: spf.result, domain: mailFrom ? domainOfIdentity(mailFrom) : null },
  ];
}

/**
 * Postmark's verdicts: the topmost Received-SPF and the topmost Authentication-Results, the
 * headers Postmark prepends; the latter only when its authserv-id is a postmarkapp.com server.
 * Copies lower in the header block came with the message and count for nothing.
 * See docs/email-authentication.md.
 */
export function postmarkVerdicts(headerLines: readonly HeaderLine[]): ProviderVerdicts {
  const value = topmostHeader(headerLines, 'authentication-results');
  const results = value === null ? null : parseAuthenticationResults(value);
  const fromPostmark = results !== null && isPostmarkServer(results.authservId) ? results : null;
  return {
    provider: 'postmark',
    verdicts: [...spfVerdict(headerLines), ...(fromPostmark ? verdictsOf(fromPostmark) : [])],
  };
}
