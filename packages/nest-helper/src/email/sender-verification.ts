import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { headerStrings } from './header-values.js';
import type { InboundRaw } from './adapters/inbound-request.js';
import type { ParsedMessage } from './parse.js';
import { authenticateSender, type HeaderLine } from './sender-auth/index.js';

export type SenderVerdict = { verified: true } | { verified: false; reason: string };

/** Every address of the From header(s): authentication needs exactly one. */
const fromAddresses = (message: ParsedMessage): string[] =>
  headerStrings(message.headers, 'from').flatMap((value) =>
    addressparser(value, { flatten: true }).map((mailbox) => mailbox.address),
  );

const headerLinesOf = (message: ParsedMessage): HeaderLine[] =>
  message.headerFields.map((field) => ({ key: field.name, line: `${field.name}: ${field.value}` }));

/**
 * Whether an inbound email's sender is who its From says: from the provider's verdicts, or from
 * the host's own MTA's Authentication-Results; or trusted as is when the host turned the check
 * off (docs/email-authentication.md).
 */
export function verifySender(
  message: ParsedMessage,
  inbound: InboundRaw,
  email: Pick<ResolvedEmailOptions, 'senderAuthentication' | 'trustedAuthServIds'>,
): SenderVerdict {
  if (email.senderAuthentication === 'off') return { verified: true };
  const headerLines = headerLinesOf(message);
  const result = authenticateSender({
    fromAddresses: fromAddresses(message),
    headerLines,
    trustedAuthServIds: email.trustedAuthServIds,
    provider: inbound.providerVerdicts?.(headerLines),
  });
  return result.authenticated ? { verified: true } : { verified: false, reason: result.reason };
}
