import { describe, expect, it } from '@jest/globals';
import { parseMessage, type ParsedMessage } from '../../src/email/parse.js';
import {
  autoSubject,
  autoSubmitted,
  bounce,
  firstSkipReason,
  listHeaders,
  listServer,
  ownMessageId,
  precedence,
  returnPathNull,
  RULE_REASONS,
  self,
  SKIP_REASON_TEXT,
  SKIP_REASONS,
  SKIP_RULES,
  systemSender,
  vendorVacation,
  xAutoreply,
  xAutoResponseSuppress,
  xLoop,
  type SkipContext,
  type SkipRule,
} from '../../src/email/skip-rules.js';
import { fixtureNames, MAILBOX, parsedFixture } from './support.js';

const context: SkipContext = { mailboxAddress: MAILBOX };

/** A plain message from a person; extra header lines may replace From or Subject. */
function personWith(...headerLines: string[]): Promise<ParsedMessage> {
  const has = (name: string) =>
    headerLines.some((line) => line.toLowerCase().startsWith(`${name}:`));
  return parseMessage(
    Buffer.from(
      [
        ...(has('from') ? [] : ['From: Ann Lee <ann@example.net>']),
        'To: support@example.com',
        ...(has('subject') ? [] : ['Subject: Hello']),
        'Message-ID: <hello-1@example.net>',
        ...headerLines,
        '',
        'Hello there.',
        '',
      ].join('\r\n'),
    ),
  );
}

const applies = async (rule: SkipRule, message: Promise<ParsedMessage>, ctx = context) =>
  rule.applies(await message, ctx);

/** Whether the whole rule list lets this message be answered. */
const answered = async (message: Promise<ParsedMessage>, ctx = context) =>
  firstSkipReason(await message, ctx) === null;

describe('the rule list', () => {
  it('checks the rules in the documented order, each under its reason', () => {
    expect(SKIP_RULES.map((rule) => rule.reason)).toEqual([...RULE_REASONS]);
    expect(RULE_REASONS).toEqual([
      'bounce',
      'return-path-null',
      'auto-submitted',
      'x-autoreply',
      'x-auto-response-suppress',
      'precedence',
      'list-headers',
      'list-server',
      'x-loop',
      'own-message-id',
      'vendor-vacation',
      'auto-subject',
      'system-sender',
      'self',
    ]);
  });

  it('reports the first rule that matches', async () => {
    const message = personWith('Return-Path: <>', 'Precedence: bulk', 'X-Loop: x@example.net');
    expect(firstSkipReason(await message, context)).toBe('return-path-null');
    const listed = personWith('X-Loop: x@example.net', 'List-Id: <team.example.net>');
    expect(firstSkipReason(await listed, context)).toBe('list-headers');
  });

  it("answers a person's plain message", async () => {
    expect(await answered(personWith())).toBe(true);
  });
});

describe('bounce', () => {
  it('matches delivery reports, read receipts and abuse reports', async () => {
    expect(await applies(bounce, parsedFixture('bounce.eml'))).toBe(true);
    expect(await applies(bounce, parsedFixture('read-receipt.eml'))).toBe(true);
  });

  it('lets through a person whose message has an attachment and talks about a bounce', async () => {
    const message = personWith('Subject: Your mail to me bounced (delivery status notification)');
    expect(await applies(bounce, message)).toBe(false);
    expect(await answered(message)).toBe(true);
    expect(await answered(parsedFixture('with-attachment.eml'))).toBe(true);
  });
});

describe('return-path-null', () => {
  it.each(['<>', '< >', '<>  ', '<MAILER-DAEMON>'])('matches Return-Path: %s', async (value) => {
    expect(await applies(returnPathNull, personWith(`Return-Path: ${value}`))).toBe(true);
  });

  it('reads every Return-Path, not only the first', async () => {
    const twice = personWith('Return-Path: <ann@example.net>', 'Return-Path: <>');
    expect(await applies(returnPathNull, twice)).toBe(true);
  });

  it.each(['<ann@example.net>', '<mailer-daemon.fan@example.net>'])(
    "lets through a person's Return-Path %s",
    async (value) => {
      const message = personWith(`Return-Path: ${value}`);
      expect(await applies(returnPathNull, message)).toBe(false);
      expect(await answered(message)).toBe(true);
    },
  );
});

describe('auto-submitted', () => {
  it.each([
    'auto-replied',
    'Auto-Generated',
    'auto-notified; owner-email=x@example.net',
    'auto-replied (zimbra; vacation)',
    'auto-something-new',
  ])('matches Auto-Submitted: %s', async (value) => {
    expect(await applies(autoSubmitted, personWith(`Auto-Submitted: ${value}`))).toBe(true);
  });

  it('reads every occurrence', async () => {
    const message = personWith('Auto-Submitted: no', 'Auto-Submitted: auto-generated');
    expect(await applies(autoSubmitted, message)).toBe(true);
  });

  it.each(['no', 'No', 'no (a person wrote this)', 'no; reason=manual'])(
    'lets through Auto-Submitted: %s',
    async (value) => {
      const message = personWith(`Auto-Submitted: ${value}`);
      expect(await applies(autoSubmitted, message)).toBe(false);
      expect(await answered(message)).toBe(true);
    },
  );
});

describe('x-autoreply', () => {
  it.each([
    'X-Autoreply: yes',
    'X-AutoReply: yes',
    'X-Autorespond: on',
    'X-Auto-Reply: yes',
    'X-Autoresponse: 1',
    'X-Autoresponder: vacation',
  ])('matches %s', async (line) => {
    expect(await applies(xAutoreply, personWith(line))).toBe(true);
  });

  it('lets through headers that only start like it, and the word in a subject', async () => {
    const message = personWith(
      'X-Autoreply-Settings-Page: https://example.net/settings',
      'Subject: My autoreply is not working',
    );
    expect(await applies(xAutoreply, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('x-auto-response-suppress', () => {
  it.each(['All', 'all', 'AutoReply', 'DR, RN, NRN, OOF, AutoReply', 'DR,AUTOREPLY'])(
    'matches X-Auto-Response-Suppress: %s',
    async (value) => {
      const message = personWith(`X-Auto-Response-Suppress: ${value}`);
      expect(await applies(xAutoResponseSuppress, message)).toBe(true);
    },
  );

  it('reads every occurrence', async () => {
    const message = personWith('X-Auto-Response-Suppress: OOF', 'X-Auto-Response-Suppress: All');
    expect(await applies(xAutoResponseSuppress, message)).toBe(true);
  });

  it.each(['OOF', 'OOF, DR', 'DR, RN, NRN', 'None', 'AutoReplyAll'])(
    'lets through X-Auto-Response-Suppress: %s (Outlook meeting mail a person sent)',
    async (value) => {
      const message = personWith(`X-Auto-Response-Suppress: ${value}`);
      expect(await applies(xAutoResponseSuppress, message)).toBe(false);
      expect(await answered(message)).toBe(true);
    },
  );
});

describe('precedence', () => {
  it.each(['bulk', 'LIST', 'Junk', 'auto_reply'])('matches Precedence: %s', async (value) => {
    expect(await applies(precedence, personWith(`Precedence: ${value}`))).toBe(true);
  });

  it('reads every Precedence, though mailparser keeps only the first', async () => {
    const message = personWith('Precedence: never-bounce', 'Precedence: bulk');
    expect((await message).headers.get('precedence')).toBe('never-bounce');
    expect(await applies(precedence, message)).toBe(true);
  });

  it.each(['X-Precedence: auto_reply', 'Preference: auto_reply'])(
    "matches cPanel's %s",
    async (line) => {
      expect(await applies(precedence, personWith(line))).toBe(true);
    },
  );

  it.each(['first-class', 'urgent', 'normal', 'bulky'])(
    'lets through Precedence: %s',
    async (value) => {
      const message = personWith(`Precedence: ${value}`);
      expect(await applies(precedence, message)).toBe(false);
      expect(await answered(message)).toBe(true);
    },
  );
});

describe('list-headers', () => {
  it.each([
    'List-Id: <team.example.net>',
    'List-Unsubscribe: <mailto:u@example.net>',
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    'List-Owner: <mailto:o@example.net>',
    'List-Post: NO',
  ])('matches %s', async (line) => {
    expect(await applies(listHeaders, personWith(line))).toBe(true);
  });

  it('lets through headers that merely contain "list"', async () => {
    const message = personWith('Listing: 42 Main Street', 'X-Wishlist: shoes');
    expect(await applies(listHeaders, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('list-server', () => {
  it.each([
    'X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]',
    'X-ML-Name: users-jp',
    'X-Mailing-List: <linux-kernel@vger.kernel.org> archive/latest/123',
    'Mailing-List: contact users-help@lists.example.net; run by ezmlm',
    'X-Mailman-Version: 2.1.39',
    'X-BeenThere: users@lists.example.net',
    'X-ML-Count: 1234',
  ])('matches %s', async (line) => {
    expect(await applies(listServer, personWith(line))).toBe(true);
  });

  it('lets through a person whose signature mentions a mailing list', async () => {
    const message = personWith('X-Mailer: Mailing List Manager Fan Club Edition', 'X-ML: no');
    expect(await applies(listServer, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('x-loop', () => {
  it.each(['X-Loop: support@example.net', 'X-Loop: yes', 'X-LOOP: helpdesk'])(
    'matches %s',
    async (line) => {
      expect(await applies(xLoop, personWith(line))).toBe(true);
    },
  );

  it('reads every X-Loop', async () => {
    const message = personWith('X-Loop:', 'X-Loop: list@lists.example.net');
    expect(await applies(xLoop, message)).toBe(true);
  });

  it('lets through headers that only resemble it', async () => {
    const message = personWith('X-Loopback-Test: 127.0.0.1', 'X-Looping-Video: cats.mp4');
    expect(await applies(xLoop, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('own-message-id', () => {
  it('matches when the caller found the Message-ID among the mailbox’s own', async () => {
    const message = personWith();
    expect(await applies(ownMessageId, message, { ...context, isOwnMessageId: true })).toBe(true);
    expect(firstSkipReason(await message, { ...context, isOwnMessageId: true })).toBe(
      'own-message-id',
    );
  });

  it('lets through a reply to our own message, which has its own Message-ID', async () => {
    const reply = personWith('In-Reply-To: <reply-1@example.com>', 'Subject: Re: Hello');
    expect(await applies(ownMessageId, reply, { ...context, isOwnMessageId: false })).toBe(false);
    expect(await answered(reply, { ...context, isOwnMessageId: false })).toBe(true);
    expect(await applies(ownMessageId, reply)).toBe(false);
  });
});

describe('vendor-vacation', () => {
  it.each([
    'X-Apple-Action: VACATION',
    'X-Autoreply-From: ann@example.net',
    'X-Mail-Autoreply: yes',
    'X-POST-MessageClass: 9; Autoresponder',
    'X-Autogenerated: Reply',
    'X-Autogenerated: Forward',
    'X-FC-MachineGenerated: true',
    'Delivered-To: Autoresponder',
  ])('matches %s', async (line) => {
    expect(await applies(vendorVacation, personWith(line))).toBe(true);
  });

  it('reads every Delivered-To', async () => {
    const message = personWith('Delivered-To: ann@example.net', 'Delivered-To: autoresponder');
    expect(await applies(vendorVacation, message)).toBe(true);
  });

  it.each([
    'X-Apple-Action: REPLY',
    'X-POST-MessageClass: 1; Normal',
    'X-FC-MachineGenerated: false',
    'Delivered-To: support@example.com',
    'X-Autogenerated: No',
  ])('lets through %s', async (line) => {
    const message = personWith(line);
    expect(await applies(vendorVacation, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('auto-subject', () => {
  it.each([
    'AUTO: Ann Lee is out of the office (returning 24/03/2025)',
    'Auto: Re: Your order',
    'Automatic reply: Your ticket #4521',
    'Out of Office: Re: Your order has shipped',
    'Out of Office AutoReply: Invoice',
    'Out of Office Alert',
    'Out of office reply',
    'Auto Response',
    'Auto-Reply: We got your mail',
    'Autoreply: Thanks',
    'Automatische Antwort: Rechnung',
    'Réponse automatique : Facture',
    'Respuesta automática: Pedido',
    'Automatisch antwoord: Factuur',
    'Abwesenheitsnotiz: Bestellung',
    '  automatic reply',
  ])('matches "%s"', async (subject) => {
    expect(await applies(autoSubject, personWith(`Subject: ${subject}`))).toBe(true);
  });

  it.each([
    'Re: Auto insurance question',
    'Automation question',
    'Out of office plans for the team offsite',
    'Re: Automatic reply: Your ticket #4521',
    'Autopay failed',
    'Auto',
    'Fwd: Out of Office: Re: Your order',
    'Question about automatic replies',
  ])('lets through "%s"', async (subject) => {
    const message = personWith(`Subject: ${subject}`);
    expect(await applies(autoSubject, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('system-sender', () => {
  it.each([
    'MAILER-DAEMON@mx.example.com',
    'mailer_daemon@mx.example.com',
    'postmaster@example.net',
    'post_master@example.net',
    'Post-Master@example.net',
    'noreply@example.net',
    'no-reply@accounts.example.com',
    'No_Reply@example.net',
    'do-not-reply@example.net',
    'DoNotReply@example.net',
    'noreply+billing@example.net',
    'no-reply-notifications@example.net',
  ])('matches From: %s', async (address) => {
    expect(await applies(systemSender, personWith(`From: ${address}`))).toBe(true);
  });

  it('matches a no-reply Reply-To, where the reply would go', async () => {
    expect(await applies(systemSender, personWith('Reply-To: noreply@example.net'))).toBe(true);
    expect(await applies(systemSender, parsedFixture('no-reply-sender.eml'))).toBe(true);
  });

  it('matches mail from a mail system that gave no usable From address', async () => {
    const message = personWith('From: MAILER-DAEMON');
    expect((await message).from).toBeNull();
    expect(firstSkipReason(await message, context)).toBe('system-sender');
  });

  it.each([
    'norene@example.net',
    'reply@example.net',
    'post@example.net',
    'postmasters.fan@example.net',
    'noreplies@example.net',
    'info@example.net',
    'support@customer.example',
    'daemon.hunter@example.net',
  ])('lets through From: %s', async (address) => {
    const message = personWith(`From: ${address}`);
    expect(await applies(systemSender, message)).toBe(false);
    expect(await answered(message)).toBe(true);
  });
});

describe('self', () => {
  it('matches the mailbox itself, in any case, as From or Reply-To', async () => {
    expect(await applies(self, parsedFixture('from-mailbox-itself.eml'))).toBe(true);
    expect(await applies(self, personWith('Reply-To: SUPPORT@example.com'))).toBe(true);
    expect(await applies(self, personWith('From: Support <support@example.com>'))).toBe(true);
  });

  it('lets through a look-alike of the mailbox address', async () => {
    for (const address of ['support@example.com.evil.example', 'support2@example.com']) {
      const message = personWith(`From: ${address}`);
      expect(await applies(self, message)).toBe(false);
      expect(await answered(message)).toBe(true);
    }
  });
});

describe('firstSkipReason over the fixtures', () => {
  const expected: Record<string, string | null> = {
    'apple-mail.eml': null,
    'bounce.eml': 'bounce',
    'encoded-subject-latin1-q.eml': null,
    'encoded-subject-utf8-b.eml': null,
    'exchange-legacy-out-of-office.eml': 'x-auto-response-suppress',
    'from-mailbox-itself.eml': 'self',
    'gmail-plain.eml': null,
    'gmail-vacation.eml': 'auto-submitted',
    'html-only.eml': null,
    'mailing-list.eml': 'precedence',
    'malformed-broken-boundary.eml': null,
    'newsletter.eml': 'precedence',
    'no-reply-sender.eml': 'system-sender',
    'outlook-multipart.eml': null,
    'outlook-out-of-office.eml': 'auto-submitted',
    'read-receipt.eml': 'bounce',
    'shop-receipt.eml': 'list-headers',
    'subject-injection.eml': null,
    'thread-reply.eml': null,
    'with-attachment.eml': null,
    'x-autoreply.eml': 'x-autoreply',
  };

  it('covers every parseable fixture', () => {
    expect(Object.keys(expected).sort()).toEqual(
      fixtureNames().filter((name) => name !== 'malformed-no-from.eml'),
    );
  });

  it.each(Object.entries(expected))('%s → %s', async (name, reason) => {
    expect(firstSkipReason(await parsedFixture(name), context)).toBe(reason);
  });
});

describe('words for staff', () => {
  it('explain every reason, rules and service decisions alike', () => {
    expect(Object.keys(SKIP_REASON_TEXT).sort()).toEqual([...SKIP_REASONS].sort());
    expect(SKIP_REASONS).toEqual([
      ...RULE_REASONS,
      'unauthenticated-sender',
      'feature-off',
      'not-first-message',
      'rate-limited',
      'reply-budget',
      'unparseable',
    ]);
    const texts = Object.values(SKIP_REASON_TEXT);
    expect(new Set(texts).size).toBe(texts.length);
    for (const text of texts) expect(text).toMatch(/^[A-Z].{20,}\.$/);
  });
});
