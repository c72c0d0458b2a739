import type { AuthenticationResults } from './authentication-results.js';
import { asciiDomain, domainOfIdentity, isAligned } from './domains.js';

export type AuthMethod = 'dmarc' | 'dkim' | 'spf';

/** One check's outcome and the domain it speaks for, in comparable (ASCII, lowercase) form. */
export interface Verdict {
  method: AuthMethod;
  /** Lowercased, e.g. `pass`, `fail`, `softfail`. */
  result: string;
  /** Null when the check named no usable domain: then it cannot authenticate anyone. */
  domain: string | null;
}

/**
 * What an inbound provider says about a message, taken only from places the provider sets (its
 * form fields, or the headers it prepends). Built by `sendgridVerdicts`, `mailgunVerdicts` and
 * `postmarkVerdicts`.
 */
export interface ProviderVerdicts {
  provider: 'sendgrid' | 'mailgun' | 'postmark';
  verdicts: readonly Verdict[];
}

// Strongest first: the reported method is the strongest aligned pass.
const METHODS: readonly AuthMethod[] = ['dmarc', 'dkim', 'spf'];

const asMethod = (method: string): AuthMethod | null =>
  (METHODS as readonly string[]).includes(method) ? (method as AuthMethod) : null;

/**
 * The DMARC, DKIM and SPF verdicts of an Authentication-Results header: DMARC speaks for
 * `header.from`; DKIM for `header.d` (the signing domain), else the domain of `header.i`; SPF for
 * the domain of `smtp.mailfrom`. Other methods (arc, iprev, …) are left out.
 */
export function verdictsOf(header: AuthenticationResults): Verdict[] {
  return header.results.flatMap((statement) => {
    const method = asMethod(statement.method);
    if (method === null) return [];
    const property = (name: string) => statement.properties.get(name);
    const identity =
      method === 'dmarc'
        ? property('header.from')
        : method === 'dkim'
          ? (property('header.d') ?? property('header.i'))
          : property('smtp.mailfrom');
    return [
      { method, result: statement.result, domain: identity ? domainOfIdentity(identity) : null },
    ];
  });
}

/**
 * Whether a verdict authenticates mail from `fromDomain`: a pass whose domain is the From domain
 * (DMARC already did its own alignment, so its `header.from` must be the From domain exactly) or,
 * for DKIM and SPF, aligned with it. See docs/email-authentication.md.
 */
function vouchesFor(verdict: Verdict, fromDomain: string): boolean {
  if (verdict.result !== 'pass' || verdict.domain === null) return false;
  return verdict.method === 'dmarc'
    ? verdict.domain === asciiDomain(fromDomain)
    : isAligned(verdict.domain, fromDomain);
}

/** The strongest verdict (DMARC, then DKIM, then SPF) that authenticates `fromDomain`, or null. */
export function strongestAlignedPass(
  verdicts: readonly Verdict[],
  fromDomain: string,
): Verdict | null {
  for (const method of METHODS) {
    const found = verdicts.find(
      (verdict) => verdict.method === method && vouchesFor(verdict, fromDomain),
    );
    if (found !== undefined) return found;
  }
  return null;
}

const MAX_DESCRIBED = 6;

/** The verdicts in words for staff, e.g. `dkim=pass for other.com, spf=fail for example.com`. */
export function describeVerdicts(verdicts: readonly Verdict[]): string {
  if (verdicts.length === 0) return 'no SPF, DKIM or DMARC result';
  const described = verdicts
    .slice(0, MAX_DESCRIBED)
    .map(
      (verdict) =>
        `${verdict.method}=${verdict.result.slice(0, 20)}` +
        (verdict.domain === null ? ' naming no domain' : ` for ${verdict.domain}`),
    );
  if (verdicts.length > MAX_DESCRIBED) described.push(`${verdicts.length - MAX_DESCRIBED} more`);
  return described.join(', ');
}
