import { parseAuthenticationResults } from './authentication-results.js';
import { domainOfIdentity, registrableDomain } from './domains.js';
import { headerValues, type HeaderLine } from './header-lines.js';
import {
  describeVerdicts,
  strongestAlignedPass,
  verdictsOf,
  type AuthMethod,
  type ProviderVerdicts,
  type Verdict,
} from './verdicts.js';

export interface SenderAuthenticationInput {
  /** Every address of the From header. Several, or none, cannot be authenticated. */
  fromAddresses: readonly string[];
  /** mailparser's `headerLines`, topmost first. */
  headerLines: readonly HeaderLine[];
  /** The authserv-ids of the host's own MTA (`email.trustedAuthServIds`); exact, any case. */
  trustedAuthServIds: readonly string[];
  /**
   * The provider's verdicts, for mail that came through SendGrid, Mailgun or Postmark. When given,
   * they are the only evidence: Authentication-Results headers inside a provider's message were
   * never seen by the host's MTA, so none of them is trusted, whatever its authserv-id.
   */
  provider?: ProviderVerdicts | undefined;
}

export type SenderAuthentication =
  | {
      authenticated: true;
      method: AuthMethod;
      /** The domain the evidence named (ASCII, lowercase): the From domain or a parent of it. */
      domain: string;
    }
  /** `reason` says in words for staff why not; it holds nothing but what the message carried. */
  | { authenticated: false; reason: string };

type Evidence = { source: string; verdicts: readonly Verdict[] } | { missing: string };

const PROVIDER_NAMES: Record<ProviderVerdicts['provider'], string> = {
  sendgrid: 'SendGrid',
  mailgun: 'Mailgun',
  postmark: 'Postmark',
};

const unauthenticated = (reason: string): SenderAuthentication => ({
  authenticated: false,
  reason,
});

/** The first Authentication-Results, topmost first, whose authserv-id is trusted: only it counts. */
function trustedHeaderEvidence(
  headerLines: readonly HeaderLine[],
  trustedAuthServIds: readonly string[],
): Evidence {
  const trusted = new Set(trustedAuthServIds.map((id) => id.trim().toLowerCase()));
  if (trusted.size === 0) {
    return {
      missing:
        'no authserv-id is trusted (email.trustedAuthServIds is empty), so no ' +
        'Authentication-Results header can vouch for the sender',
    };
  }
  for (const value of headerValues(headerLines, 'authentication-results')) {
    const header = parseAuthenticationResults(value);
    if (header !== null && trusted.has(header.authservId.toLowerCase())) {
      return {
        source: `the Authentication-Results header of ${header.authservId}`,
        verdicts: verdictsOf(header),
      };
    }
  }
  return { missing: 'the message has no Authentication-Results header from a trusted authserv-id' };
}

/**
 * Decides whether an inbound email's sender is authenticated: evidence from the host's own MTA
 * (raw ingress) or from the provider must report a DMARC, DKIM or SPF pass for the From domain or
 * a parent of it inside the same registrable domain. Never throws.
 * See docs/email-authentication.md.
 */
export function authenticateSender(input: SenderAuthenticationInput): SenderAuthentication {
  const { fromAddresses } = input;
  if (fromAddresses.length !== 1) {
    return unauthenticated(
      fromAddresses.length === 0
        ? 'The From header has no address.'
        : `The From header has ${fromAddresses.length} addresses; only a single sender can be authenticated.`,
    );
  }
  const address = fromAddresses[0]!;
  const fromDomain = address.includes('@') ? domainOfIdentity(address) : null;
  if (fromDomain === null || registrableDomain(fromDomain) === null) {
    return unauthenticated('The From address has no domain that can be authenticated.');
  }
  const evidence =
    input.provider === undefined
      ? trustedHeaderEvidence(input.headerLines, input.trustedAuthServIds)
      : {
          source: `${PROVIDER_NAMES[input.provider.provider]}'s verdicts`,
          verdicts: input.provider.verdicts,
        };
  if ('missing' in evidence) return unauthenticated(`Not authenticated: ${evidence.missing}.`);
  const pass = strongestAlignedPass(evidence.verdicts, fromDomain);
  if (pass !== null && pass.domain !== null) {
    return { authenticated: true, method: pass.method, domain: pass.domain };
  }
  return unauthenticated(
    `Not authenticated: no pass for ${fromDomain} in ${evidence.source} ` +
      `(${describeVerdicts(evidence.verdicts)}).`,
  );
}
