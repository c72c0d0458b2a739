import { domainOfIdentity } from '../domains.js';
import type { ProviderVerdicts, Verdict } from '../verdicts.js';

// A message carries a handful of signatures; far more is not SendGrid's field.
const MAX_DKIM_ENTRIES = 20;
const DKIM_ENTRY = /^@?([^\s:@]+)\s*:\s*([A-Za-z]+)$/;

/** The envelope sender from SendGrid's `envelope` JSON (`{"to":[…],"from":"…"}`), or null. */
function envelopeFrom(envelope: string | undefined): string | null {
  if (envelope === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(envelope);
    const from = (parsed as { from?: unknown } | null)?.from;
    return typeof from === 'string' && from !== '' ? from : null;
  } catch {
    return null;
  }
}

/** SendGrid's `dkim` field, `{@example.com : pass, @other.com : fail}`, one verdict per entry. */
function dkimVerdicts(dkim: string | undefined): Verdict[] {
  if (dkim === undefined) return [];
  return dkim
    .trim()
    .replace(/^\{|\}$/g, '')
    .split(',')
    .slice(0, MAX_DKIM_ENTRIES)
    .flatMap((entry) => {
      const match = DKIM_ENTRY.exec(entry.trim());
      return match === null
        ? []
        : [
            {
              method: 'dkim',
              result: match[2]!.toLowerCase(),
              domain: domainOfIdentity(match[1]!),
            },
          ];
    });
}

/**
 * SendGrid Inbound Parse's verdicts, from the form fields SendGrid sets beside the message: `SPF`
 * (aligned through the domain of the envelope sender in `envelope`) and `dkim` (aligned through
 * each signing domain). Nothing inside the message counts. See docs/email-authentication.md.
 */
export function sendgridVerdicts(fields: ReadonlyMap<string, string>): ProviderVerdicts {
  const verdicts: Verdict[] = [];
  const spf = fields.get('SPF')?.trim().toLowerCase();
  if (spf) {
    const sender = envelopeFrom(fields.get('envelope'));
    verdicts.push({
      method: 'spf',
      result: spf,
      domain: sender === null ? null : domainOfIdentity(sender),
    });
  }
  verdicts.push(...dkimVerdicts(fields.get('dkim')));
  return { provider: 'sendgrid', verdicts };
}
