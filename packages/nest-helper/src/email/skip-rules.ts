import { isNullPath, isSystemAddress, sameAddress } from './address.js';
import { fieldTokens, fieldValues } from './header-values.js';
import type { ParsedMessage } from './parse.js';
import type { RuleReason } from './skip-reasons.js';

// When an inbound message gets no auto-reply (RFC 3834 and the practice of helpdesks, list
// servers and bounce parsers): each rule has a stable name, used as the `skipReason` of the
// inbound endpoint's answer, and cites where it comes from. Rules read every occurrence of a
// repeated header. See docs/loop-prevention.md for each rule, its source and examples.

export {
  FEATURE_OFF,
  NOT_FIRST_MESSAGE,
  RATE_LIMITED,
  REPLY_BUDGET,
  RULE_REASONS,
  SKIP_REASON_TEXT,
  SKIP_REASONS,
  UNAUTHENTICATED_SENDER,
  UNPARSEABLE,
  type RuleReason,
  type SkipReason,
} from './skip-reasons.js';

export interface SkipContext {
  /** The mailbox's own address (`email.address`). */
  mailboxAddress: string;
  /**
   * Whether this message's own Message-ID is one the mailbox sent (an auto-reply, a staff reply):
   * our own mail coming back through a forward, a list or a misrouted alias. The caller looks it
   * up among the mailbox's outgoing Message-IDs; absent means not looked up, and the
   * `own-message-id` rule then never matches.
   */
  isOwnMessageId?: boolean;
}

export interface SkipRule {
  readonly reason: RuleReason;
  readonly applies: (message: ParsedMessage, context: SkipContext) => boolean;
}

/**
 * A delivery report (RFC 3464, a bounce), a read receipt (RFC 8098) or an abuse report
 * (RFC 5965), as `multipart/report` (RFC 6522) or as a report part inside other multipart mail.
 */
export const bounce: SkipRule = {
  reason: 'bounce',
  applies: (message) => message.isReport,
};

/**
 * `Return-Path: <>` (or IIS's `<MAILER-DAEMON>`): the null reverse-path that bounces and
 * automatic replies are sent with (RFC 5321 section 4.5.5, RFC 3834 section 3.3), on any of the
 * header's occurrences.
 */
export const returnPathNull: SkipRule = {
  reason: 'return-path-null',
  applies: ({ headerFields }) => fieldValues(headerFields, 'return-path').some(isNullPath),
};

/**
 * `Auto-Submitted` with any value but `no` (RFC 3834 section 5): `auto-replied`,
 * `auto-generated`, `auto-notified` (RFC 5230 for Sieve vacation), and any future keyword.
 */
export const autoSubmitted: SkipRule = {
  reason: 'auto-submitted',
  // The keyword may be followed by parameters (`; owner-email=…`) or a comment (`(…)`).
  applies: ({ headerFields }) =>
    fieldValues(headerFields, 'auto-submitted').some(
      (value) => value.toLowerCase().split(/[\s;(]/, 1)[0] !== 'no',
    ),
};

// The autoresponder markers many servers set instead of Auto-Submitted: X-Autoreply (Gmail's
// vacation responder), X-Autorespond (cPanel, BoxTrapper), per multi_mail's "Detecting
// autoresponders" survey; the other spellings are those Discourse's receiver treats as
// automatic (`auto[-_]?(reply|respond|response)` in a header).
const AUTOREPLY_HEADER = /^x-auto[-_]?(?:reply|respond|response|responder)$/;

/** `X-Autoreply`, `X-Autorespond` and their spellings (`X-Auto-Reply`, `X-Autoresponse`). */
export const xAutoreply: SkipRule = {
  reason: 'x-autoreply',
  applies: ({ headerFields }) => headerFields.some((field) => AUTOREPLY_HEADER.test(field.name)),
};

// Microsoft's X-Auto-Response-Suppress ([MS-OXCMAIL] 2.2.3.2.14) lists which automatic answers
// the sender does not want: `AutoReply` ("auto-replies other than out-of-office") is exactly what
// this mailbox would send, and `All` includes it. `OOF` asks only out-of-office notices to stay
// away: Outlook sets it on meeting mail a person sent, so it does not stop this reply; nor do
// `DR`, `NDR`, `RN`, `NRN` (delivery and read reports).
const SUPPRESSING_TOKENS = new Set(['all', 'autoreply']);

/** Microsoft's `X-Auto-Response-Suppress` asking for no auto-replies: `All` or `AutoReply`. */
export const xAutoResponseSuppress: SkipRule = {
  reason: 'x-auto-response-suppress',
  applies: ({ headerFields }) =>
    fieldTokens(headerFields, 'x-auto-response-suppress').some((token) =>
      SUPPRESSING_TOKENS.has(token),
    ),
};

// RFC 3834 section 3.1.8 names `bulk`, `list` and `junk` as never to be answered; `auto_reply`
// is what many autoresponders set (Discourse's receiver skips it too). cPanel and BoxTrapper
// write the same values as `X-Precedence` and `Preference` (multi_mail's "Detecting
// autoresponders" survey).
const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk', 'auto_reply']);
const PRECEDENCE_HEADERS = ['precedence', 'x-precedence', 'preference'];

/** `Precedence` (or `X-Precedence`, `Preference`) of bulk, list, junk or auto_reply, anywhere. */
export const precedence: SkipRule = {
  reason: 'precedence',
  applies: ({ headerFields }) =>
    PRECEDENCE_HEADERS.flatMap((name) => fieldTokens(headerFields, name)).some((token) =>
      BULK_PRECEDENCE.has(token),
    ),
};

/**
 * Any `List-*` header: RFC 2369 (`List-Help`, `-Unsubscribe`, `-Subscribe`, `-Post`, `-Owner`,
 * `-Archive`), RFC 2919 (`List-Id`), RFC 8058 (`List-Unsubscribe-Post`): lists and newsletters.
 */
export const listHeaders: SkipRule = {
  reason: 'list-headers',
  applies: ({ headerFields }) => headerFields.some((field) => field.name.startsWith('list-')),
};

// The headers list servers set of their own, for lists that send no List-* header:
// `Mailing-List` (ezmlm, Google Groups), `X-Mailing-List` (SmartList, vger's Majordomo),
// `X-MLServer`, `X-ML-Name`, `X-ML-Count`, `X-Mail-Count` (fml, the Japanese list servers),
// `X-Mailman-Version` and `X-BeenThere` (GNU Mailman), `X-Ecartis-Version` (Ecartis),
// `X-Listprocessor-Version` (ListProc).
const LIST_SERVER_HEADERS = new Set([
  'mailing-list',
  'x-mailing-list',
  'x-mlserver',
  'x-ml-name',
  'x-ml-count',
  'x-mail-count',
  'x-mailman-version',
  'x-beenthere',
  'x-ecartis-version',
  'x-listprocessor-version',
]);

/** A list server's own identification headers (`X-MLServer`, `X-Mailing-List`, ...). */
export const listServer: SkipRule = {
  reason: 'list-server',
  applies: ({ headerFields }) => headerFields.some((field) => LIST_SERVER_HEADERS.has(field.name)),
};

/**
 * `X-Loop`: the loop marker of procmail recipes (`formail -A "X-Loop: …"`), of helpdesks
 * (Zammad checks `X-Loop: yes`) and of list servers (Sympa): mail that an automatic
 * processor already handled. No mail client sets it.
 */
export const xLoop: SkipRule = {
  reason: 'x-loop',
  applies: ({ headerFields }) => fieldValues(headerFields, 'x-loop').some((value) => value !== ''),
};

/** This message's own Message-ID is one the mailbox sent: its own mail coming back. */
export const ownMessageId: SkipRule = {
  reason: 'own-message-id',
  applies: (_message, { isOwnMessageId }) => isOwnMessageId === true,
};

/** A vendor's own out-of-office or autoresponder header, and the values that mean "automatic". */
interface VendorMarker {
  readonly header: string;
  readonly value: RegExp;
}

// Each marker as bounce parsers record the vendor's behaviour: Apple's from sisimai's RFC 3834
// module (iCloud vacation replies carry no Auto-Submitted), the others from multi_mail's
// "Detecting autoresponders" survey of autoresponders.
const VENDOR_MARKERS: readonly VendorMarker[] = [
  // iCloud Mail's vacation reply.
  { header: 'x-apple-action', value: /^vacation\b/i },
  // Domain Technologies Control's autoresponder.
  { header: 'x-autoreply-from', value: /\S/ },
  { header: 'x-mail-autoreply', value: /\S/ },
  // Mailtraq's autoresponder (message class 9).
  { header: 'x-post-messageclass', value: /^9\s*;\s*autoresponder\b/i },
  // CommuniGate Pro's automatic replies, forwards and redirects.
  { header: 'x-autogenerated', value: /^(?:reply|forward|group|letter|mirror|redirect)\b/i },
  // FirstClass.
  { header: 'x-fc-machinegenerated', value: /^true\b/i },
  // qmail's autorespond.
  { header: 'delivered-to', value: /^autoresponder$/i },
];

/** An out-of-office or autoresponder marker of a particular mail system (`X-Apple-Action`, ...). */
export const vendorVacation: SkipRule = {
  reason: 'vendor-vacation',
  applies: ({ headerFields }) =>
    VENDOR_MARKERS.some(({ header, value }) =>
      fieldValues(headerFields, header).some((one) => value.test(one)),
    ),
};

// Subjects of out-of-office replies from systems that set no header at all: Lotus Notes
// ("AUTO: Ann Lee is out of the office"), Outlook's localised "Automatic reply:" and Exchange
// 2003's "Out of Office AutoReply:", Yahoo's "Auto Response", the "Out of Office Alert" and
// "Out of Office Reply" multi_mail's survey lists, and the localised prefixes Discourse's
// receiver lists. Only as the subject's start, followed by a colon or nothing (a
// bare `AUTO` needs its colon): "Re: Auto insurance question" or "Out of office plans for the
// offsite" are people writing.
const AUTO_SUBJECT = new RegExp(
  '^\\s*(?:auto\\s*:|(?:' +
    [
      'auto[- ]?reply',
      'auto[- ]?response',
      'automatic reply',
      'automatic response',
      'out of (?:the )?office(?: auto[- ]?reply| alert| reply)?',
      'automatische antwort',
      'abwesenheitsnotiz',
      'réponse automatique',
      'respuesta automática',
      'resposta automática',
      'risposta automatica',
      'risposta non al computer',
      'fuori sede',
      'automatisch antwoord',
      'automatiskt svar',
      'automatisk svar',
      'autosvar',
      'frånvaro',
    ].join('|') +
    ')\\s*(?::|$))',
  'iu',
);

/** A subject that announces an automatic or out-of-office reply (`AUTO:`, `Automatic reply:`). */
export const autoSubject: SkipRule = {
  reason: 'auto-subject',
  applies: ({ subject }) => AUTO_SUBJECT.test(subject),
};

/** Whom a reply would go to, and who wrote: a rule about the sender looks at both. */
const senderAddresses = ({ from, replyTo }: ParsedMessage): string[] =>
  [from?.address, replyTo].filter((address): address is string => !!address);

/**
 * A sender that is a mail system (mailer-daemon, postmaster: RFC 5321 section 4.5.1) or a
 * no-reply address, as From or Reply-To; or mail from a mail system that gave no usable From
 * address at all (`MAILER-DAEMON <>`), which the parser lets through only for such mail.
 */
export const systemSender: SkipRule = {
  reason: 'system-sender',
  applies: (message) => message.from === null || senderAddresses(message).some(isSystemAddress),
};

/** Mail from (or to be answered at) the mailbox itself: answering it would loop. */
export const self: SkipRule = {
  reason: 'self',
  applies: (message, { mailboxAddress }) =>
    senderAddresses(message).some((address) => sameAddress(address, mailboxAddress)),
};

/** Every rule, in the order their reasons are reported. */
export const SKIP_RULES: readonly SkipRule[] = [
  bounce,
  returnPathNull,
  autoSubmitted,
  xAutoreply,
  xAutoResponseSuppress,
  precedence,
  listHeaders,
  listServer,
  xLoop,
  ownMessageId,
  vendorVacation,
  autoSubject,
  systemSender,
  self,
];

/** The reason of the first rule that says "no reply", or null when the message may be answered. */
export function firstSkipReason(message: ParsedMessage, context: SkipContext): RuleReason | null {
  return SKIP_RULES.find((rule) => rule.applies(message, context))?.reason ?? null;
}
