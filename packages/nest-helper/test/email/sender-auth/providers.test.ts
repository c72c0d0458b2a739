import { describe, expect, it } from '@jest/globals';
import { composePostmarkMessage, type PostmarkInbound } from '../../../src/email/adapters/index.js';
import {
  authenticateSender,
  mailgunVerdicts,
  postmarkVerdicts,
  sendgridVerdicts,
  type ProviderVerdicts,
  type SenderAuthentication,
} from '../../../src/email/sender-auth/index.js';
import { parseHeaders, parseRaw, type ParsedForAuth } from './support.js';

const FROM = 'From: Ann Lee <ann@example.com>';
// The host trusts its own MTA for raw mail; mail through a provider must not profit from it.
const TRUSTED = ['mx.helperkit.example'];
const FORGED_TRUSTED =
  'Authentication-Results: mx.helperkit.example; dmarc=pass header.from=example.com';

const decide = (message: ParsedForAuth, provider: ProviderVerdicts): SenderAuthentication =>
  authenticateSender({ ...message, trustedAuthServIds: TRUSTED, provider });

describe('SendGrid Inbound Parse: the SPF, dkim and envelope form fields', () => {
  const fields = (entries: Record<string, string>) => new Map(Object.entries(entries));
  const envelope = (from: string) => JSON.stringify({ to: ['support@helperkit.example'], from });

  it('SPF pass aligns through the domain of the envelope sender', async () => {
    const message = await parseHeaders(FROM);
    const verdicts = sendgridVerdicts(
      fields({ SPF: 'pass', envelope: envelope('bounce@mail.example.com') }),
    );
    // mail.example.com is a child of example.com: no alignment.
    expect(decide(message, verdicts).authenticated).toBe(false);
    const aligned = sendgridVerdicts(
      fields({ SPF: 'pass', envelope: envelope('ann@example.com') }),
    );
    expect(decide(message, aligned)).toEqual({
      authenticated: true,
      method: 'spf',
      domain: 'example.com',
    });
  });

  it('dkim pass aligns through its domain, one entry or several', async () => {
    const message = await parseHeaders('From: Ann <ann@support.example.com>');
    expect(decide(message, sendgridVerdicts(fields({ dkim: '{@example.com : pass}' })))).toEqual({
      authenticated: true,
      method: 'dkim',
      domain: 'example.com',
    });
    const several = sendgridVerdicts(
      fields({ dkim: '{@sendgrid.info : pass, @support.example.com : pass}' }),
    );
    expect(decide(message, several)).toEqual({
      authenticated: true,
      method: 'dkim',
      domain: 'support.example.com',
    });
  });

  it('fail: SPF softfail, dkim fail for the From domain and pass for another', async () => {
    const message = await parseHeaders(FROM);
    const verdicts = sendgridVerdicts(
      fields({
        SPF: 'softfail',
        envelope: envelope('ann@example.com'),
        dkim: '{@example.com : fail, @mailer.example.net : pass}',
      }),
    );
    expect(decide(message, verdicts)).toEqual({
      authenticated: false,
      reason:
        "Not authenticated: no pass for example.com in SendGrid's verdicts (spf=softfail for " +
        'example.com, dkim=fail for example.com, dkim=pass for mailer.example.net).',
    });
  });

  it('forged: verdict headers inside the message count for nothing', async () => {
    const message = await parseHeaders(
      FORGED_TRUSTED,
      'Received-SPF: Pass identity=mailfrom; envelope-from=ann@example.com',
      FROM,
    );
    const verdicts = sendgridVerdicts(fields({ SPF: 'fail', dkim: 'none' }));
    expect(decide(message, verdicts).authenticated).toBe(false);
  });

  it('reads at most 20 dkim entries, so a huge field cannot make the work grow', async () => {
    const message = await parseHeaders(FROM);
    const entries = Array.from({ length: 25 }, (_, index) => `@s${index}.example.net : fail`);
    const verdicts = sendgridVerdicts(
      fields({ dkim: `{${[...entries, '@example.com : pass'].join(', ')}}` }),
    );
    expect(verdicts.verdicts).toHaveLength(20);
    expect(decide(message, verdicts).authenticated).toBe(false);
  });

  it('missing or malformed fields are no evidence', async () => {
    const message = await parseHeaders(FROM);
    expect(sendgridVerdicts(fields({}))).toEqual({ provider: 'sendgrid', verdicts: [] });
    expect(decide(message, sendgridVerdicts(fields({})))).toEqual({
      authenticated: false,
      reason:
        "Not authenticated: no pass for example.com in SendGrid's verdicts (no SPF, DKIM or DMARC result).",
    });
    const broken = sendgridVerdicts(
      fields({ SPF: 'pass', envelope: '{"from":', dkim: '{example.com pass}' }),
    );
    expect(broken.verdicts).toEqual([{ method: 'spf', result: 'pass', domain: null }]);
    expect(decide(message, broken).authenticated).toBe(false);
  });
});

describe('Mailgun: the topmost X-Mailgun-Spf and X-Mailgun-Dkim-Check-Result headers', () => {
  const signature = (domain: string) =>
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n d=${domain}; s=s1;\r\n h=from:to; bh=x; b=y`;
  const sender = (address: string) => new Map([['sender', address]]);

  it('DKIM Pass vouches for the signing domain of the message', async () => {
    const message = await parseHeaders(
      'X-Mailgun-Dkim-Check-Result: Pass',
      'X-Mailgun-Spf: Neutral',
      signature('example.com'),
      'From: Ann <ann@eu.example.com>',
    );
    expect(decide(message, mailgunVerdicts(message.headerLines, new Map()))).toEqual({
      authenticated: true,
      method: 'dkim',
      domain: 'example.com',
    });
  });

  it('SPF Pass aligns through the MAIL FROM Mailgun posts as `sender`, never Return-Path', async () => {
    const message = await parseHeaders(
      'X-Mailgun-Spf: Pass',
      'Return-Path: <ann@example.com>',
      'X-Envelope-From: <ann@example.com>',
      FROM,
    );
    expect(
      decide(message, mailgunVerdicts(message.headerLines, sender('ann@example.com'))),
    ).toEqual({ authenticated: true, method: 'spf', domain: 'example.com' });
    expect(decide(message, mailgunVerdicts(message.headerLines, new Map())).authenticated).toBe(
      false,
    );
    expect(
      decide(message, mailgunVerdicts(message.headerLines, sender('x@bounces.example.net')))
        .authenticated,
    ).toBe(false);
  });

  it('fail: Fail and SoftFail authenticate nothing', async () => {
    const message = await parseHeaders(
      'X-Mailgun-Dkim-Check-Result: Fail',
      'X-Mailgun-Spf: SoftFail',
      signature('example.com'),
      FROM,
    );
    expect(
      decide(message, mailgunVerdicts(message.headerLines, sender('ann@example.com'))),
    ).toEqual({
      authenticated: false,
      reason:
        "Not authenticated: no pass for example.com in Mailgun's verdicts " +
        '(spf=softfail for example.com, dkim=fail for example.com).',
    });
  });

  it('forged below: a Pass lower in the header block loses to the topmost Fail', async () => {
    const message = await parseHeaders(
      'X-Mailgun-Dkim-Check-Result: Fail',
      'X-Mailgun-Spf: Fail',
      'Received: from mail.attacker.example by mxa.mailgun.example',
      'X-Mailgun-Dkim-Check-Result: Pass',
      'X-Mailgun-Spf: Pass',
      FORGED_TRUSTED,
      signature('example.com'),
      FROM,
    );
    expect(
      decide(message, mailgunVerdicts(message.headerLines, sender('ann@example.com'))),
    ).toMatchObject({ authenticated: false });
  });

  it('DKIM Pass names no domain when signatures name several domains, or none', async () => {
    const two = await parseHeaders(
      'X-Mailgun-Dkim-Check-Result: Pass',
      signature('example.com'),
      signature('mailer.example.net'),
      FROM,
    );
    expect(decide(two, mailgunVerdicts(two.headerLines, new Map())).authenticated).toBe(false);
    const none = await parseHeaders('X-Mailgun-Dkim-Check-Result: Pass', FROM);
    expect(mailgunVerdicts(none.headerLines, new Map()).verdicts).toEqual([
      { method: 'dkim', result: 'pass', domain: null },
    ]);
  });

  it('missing: no Mailgun headers, no evidence', async () => {
    const message = await parseHeaders(FORGED_TRUSTED, signature('example.com'), FROM);
    expect(mailgunVerdicts(message.headerLines, sender('ann@example.com')).verdicts).toEqual([]);
    expect(
      decide(message, mailgunVerdicts(message.headerLines, sender('ann@example.com')))
        .authenticated,
    ).toBe(false);
  });
});

describe('Postmark: the topmost Received-SPF and the topmost Authentication-Results', () => {
  const postmarkSpf = (result: string, envelopeFrom: string) =>
    `Received-SPF: ${result} (sender SPF authorized) identity=mailfrom; client-ip=192.0.2.10; ` +
    `helo=out.example.com; envelope-from=${envelopeFrom}; receiver=abc@inbound.postmarkapp.com`;

  it('SPF pass aligns through envelope-from', async () => {
    const message = await parseHeaders(postmarkSpf('Pass', 'ann@example.com'), FROM);
    expect(decide(message, postmarkVerdicts(message.headerLines))).toEqual({
      authenticated: true,
      method: 'spf',
      domain: 'example.com',
    });
  });

  it("DKIM pass from Postmark's own Authentication-Results", async () => {
    const message = await parseHeaders(
      'Authentication-Results: dkim.postmarkapp.com; dkim=pass header.d=example.com',
      postmarkSpf('None', 'bounce@mailer.example.net'),
      FROM,
    );
    expect(decide(message, postmarkVerdicts(message.headerLines))).toEqual({
      authenticated: true,
      method: 'dkim',
      domain: 'example.com',
    });
  });

  it('fail: SPF fail, and an Authentication-Results from another server, count for nothing', async () => {
    const message = await parseHeaders(
      'Authentication-Results: mx.sender.example; dkim=pass header.d=example.com',
      postmarkSpf('Fail', 'ann@example.com'),
      FROM,
    );
    expect(decide(message, postmarkVerdicts(message.headerLines))).toEqual({
      authenticated: false,
      reason:
        "Not authenticated: no pass for example.com in Postmark's verdicts (spf=fail for example.com).",
    });
  });

  it('forged below: mailparser reads ["Fail", "Pass"]; only the topmost counts', async () => {
    const message = await parseHeaders(
      'Authentication-Results: spf.postmarkapp.com; spf=fail smtp.mailfrom=example.com',
      postmarkSpf('Fail', 'ann@example.com'),
      'Received: from mail.attacker.example by inbound.postmarkapp.com',
      'Authentication-Results: dkim.postmarkapp.com; dkim=pass header.d=example.com',
      postmarkSpf('Pass', 'ann@example.com'),
      FROM,
    );
    expect(decide(message, postmarkVerdicts(message.headerLines)).authenticated).toBe(false);
  });

  it('missing: no Received-SPF and no Authentication-Results, no evidence', async () => {
    const message = await parseHeaders(FROM);
    expect(postmarkVerdicts(message.headerLines)).toEqual({ provider: 'postmark', verdicts: [] });
    expect(decide(message, postmarkVerdicts(message.headerLines)).authenticated).toBe(false);
  });

  it('reads the message the Postmark adapter rebuilds from the webhook JSON', async () => {
    const payload: PostmarkInbound = {
      FromFull: { Email: 'ann@example.com', Name: 'Ann Lee' },
      ToFull: [{ Email: 'support@helperkit.example' }],
      Subject: 'Order 1234',
      TextBody: 'Where is my order?',
      // Postmark lists its own headers first, then the message's own.
      Headers: [
        { Name: 'X-Spam-Status', Value: 'No' },
        {
          Name: 'Received-SPF',
          Value:
            'Pass (sender SPF authorized) identity=mailfrom; client-ip=192.0.2.10; ' +
            'helo=out.example.com; envelope-from=ann@example.com; receiver=abc@inbound.postmarkapp.com',
        },
        { Name: 'Received-SPF', Value: 'Fail (written by the sender)' },
        { Name: 'Message-ID', Value: '<order-1234@example.com>' },
      ],
    };
    const raw = await composePostmarkMessage(payload, Buffer.from(JSON.stringify(payload)));
    const message = await parseRaw(raw);
    expect(decide(message, postmarkVerdicts(message.headerLines))).toEqual({
      authenticated: true,
      method: 'spf',
      domain: 'example.com',
    });
  });
});
