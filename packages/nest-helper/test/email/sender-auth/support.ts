import { simpleParser, type AddressObject } from 'mailparser';
import type { HeaderLine } from '../../../src/email/sender-auth/header-lines.js';

export interface ParsedForAuth {
  fromAddresses: string[];
  headerLines: readonly HeaderLine[];
}

/** Every mailbox of the From header, group members included, as the pipeline will pass them. */
const fromAddressesOf = (from: AddressObject | undefined): string[] =>
  (from?.value ?? [])
    .flatMap((address) => address.group ?? [address])
    .map((mailbox) => mailbox.address ?? '')
    .filter((address) => address !== '');

/** A raw message through mailparser, the parser the pipeline uses. */
export async function parseRaw(raw: Buffer): Promise<ParsedForAuth> {
  const parsed = await simpleParser(raw);
  return { fromAddresses: fromAddressesOf(parsed.from), headerLines: parsed.headerLines };
}

/** A message made of these header lines (topmost first), a To and a short body, parsed. */
export const parseHeaders = (...lines: string[]): Promise<ParsedForAuth> =>
  parseRaw(Buffer.from([...lines, 'To: support@helperkit.example', '', 'Hello.', ''].join('\r\n')));
