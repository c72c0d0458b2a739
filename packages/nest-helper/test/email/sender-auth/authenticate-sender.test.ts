import { describe, expect, it } from '@jest/globals';
import {
  authenticateSender,
  type SenderAuthentication,
} from '../../../src/email/sender-auth/index.js';
import { parseHeaders } from './support.js';

const TRUSTED = ['mx.helperkit.example'];
const FROM = 'From: Ann Lee <ann@example.com>';

/** Authenticates a raw-ingress message made of these header lines, topmost first. */
async function raw(
  lines: string[],
  trustedAuthServIds: readonly string[] = TRUSTED,
): Promise<SenderAuthentication> {
  const message = await parseHeaders(...lines);
  return authenticateSender({ ...message, trustedAuthServIds });
}

const authResults = (value: string) => `Authentication-Results: ${value}`;

describe('authenticateSender, raw messages: what counts as evidence', () => {
  it('DKIM: a pass whose signing domain is the From domain', async () => {
    expect(
      await raw([authResults('mx.helperkit.example; dkim=pass header.d=example.com'), FROM]),
    ).toEqual({ authenticated: true, method: 'dkim', domain: 'example.com' });
  });

  it('DKIM: the domain of header.i when there is no header.d', async () => {
    expect(
      await raw([authResults('mx.helperkit.example; dkim=pass header.i=@example.com'), FROM]),
    ).toEqual({ authenticated: true, method: 'dkim', domain: 'example.com' });
  });

  it('DKIM: header.d decides over header.i, so a public-suffix signer cannot borrow i=', async () => {
    const result = await raw([
      authResults('mx.helperkit.example; dkim=pass header.d=co.uk header.i=@bank.co.uk'),
      'From: Bank <alerts@bank.co.uk>',
    ]);
    expect(result.authenticated).toBe(false);
  });

  it('SPF: a pass whose smtp.mailfrom, an address or a domain, is aligned', async () => {
    expect(
      await raw([
        authResults('mx.helperkit.example; spf=pass smtp.mailfrom=bounces+ann@example.com'),
        FROM,
      ]),
    ).toEqual({ authenticated: true, method: 'spf', domain: 'example.com' });
    expect(
      await raw([authResults('mx.helperkit.example; spf=pass smtp.mailfrom=example.com'), FROM]),
    ).toEqual({ authenticated: true, method: 'spf', domain: 'example.com' });
  });

  it('SPF: a pass for the HELO name only is no evidence about the sender', async () => {
    const result = await raw([
      authResults('mx.helperkit.example; spf=pass smtp.helo=example.com'),
      FROM,
    ]);
    expect(result.authenticated).toBe(false);
  });

  it('DMARC: a pass for header.from equal to the From domain, reported before DKIM', async () => {
    expect(
      await raw([
        authResults(
          'mx.helperkit.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com',
        ),
        FROM,
      ]),
    ).toEqual({ authenticated: true, method: 'dmarc', domain: 'example.com' });
  });

  it('DMARC: header.from must equal the From domain; a parent is not enough', async () => {
    const result = await raw([
      authResults('mx.helperkit.example; dmarc=pass header.from=example.com'),
      'From: Ann <ann@mail.example.com>',
    ]);
    expect(result.authenticated).toBe(false);
  });

  it('any result other than pass authenticates nothing, whatever its case', async () => {
    for (const result of ['fail', 'softfail', 'neutral', 'none', 'temperror', 'policy']) {
      expect(
        (
          await raw([
            authResults(`mx.helperkit.example; dkim=${result} header.d=example.com`),
            FROM,
          ])
        ).authenticated,
      ).toBe(false);
    }
    expect(
      await raw([authResults('MX.HELPERKIT.EXAMPLE; DKIM=PASS HEADER.D=EXAMPLE.COM'), FROM]),
    ).toEqual({ authenticated: true, method: 'dkim', domain: 'example.com' });
  });

  it('a pass for another domain does not help, and the reason names what was seen', async () => {
    const result = await raw([
      authResults(
        'mx.helperkit.example; dkim=pass header.d=mailer.example.net; spf=fail smtp.mailfrom=example.com',
      ),
      FROM,
    ]);
    expect(result).toEqual({
      authenticated: false,
      reason:
        'Not authenticated: no pass for example.com in the Authentication-Results header of ' +
        'mx.helperkit.example (dkim=pass for mailer.example.net, spf=fail for example.com).',
    });
  });

  it('a person writing from a subdomain, signed by the organisation, is authenticated', async () => {
    const message = [
      authResults(
        'mx.helperkit.example;\r\n' +
          '\tdkim=pass (2048-bit key) header.d=example.com header.i=@example.com header.s=s1;\r\n' +
          '\tspf=pass (domain of ann@eu.example.com designates 192.0.2.7 as permitted sender)\r\n' +
          '\t smtp.mailfrom=ann@eu.example.com;\r\n' +
          '\tdmarc=pass (p=quarantine) header.from=eu.example.com',
      ),
      'Received: from out.eu.example.com (out.eu.example.com [192.0.2.7])\r\n' +
        '\tby mx.helperkit.example; Mon, 30 Nov 2026 06:00:00 +0000',
      'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=from:to:subject; bh=x; b=y',
      'From: "Lee, Ann" <Ann.Lee@EU.Example.com>',
      'Subject: My order',
      'Message-ID: <a1@eu.example.com>',
    ];
    expect(await raw(message)).toEqual({
      authenticated: true,
      method: 'dmarc',
      domain: 'eu.example.com',
    });
  });
});

describe('authenticateSender, raw messages: only the topmost trusted header counts', () => {
  it('an untrusted header above that says pass counts for nothing; the trusted fail decides', async () => {
    const result = await raw([
      authResults('mx.attacker.example; dmarc=pass header.from=example.com'),
      authResults('mx.helperkit.example; dkim=fail header.d=example.com'),
      FROM,
    ]);
    expect(result.authenticated).toBe(false);
  });

  it('a lower copy with the trusted id (forged by the sender) cannot outvote the topmost', async () => {
    const result = await raw([
      authResults('mx.helperkit.example; spf=softfail smtp.mailfrom=example.com'),
      'Received: from unknown (HELO x) (192.0.2.66) by mx.helperkit.example',
      authResults('mx.helperkit.example; dkim=pass header.d=example.com'),
      FROM,
    ]);
    expect(result.authenticated).toBe(false);
    expect(!result.authenticated && result.reason).toContain('spf=softfail for example.com');
  });

  it('a header from an untrusted server alone is no evidence', async () => {
    const result = await raw([
      authResults('mx.elsewhere.example; dkim=pass header.d=example.com'),
      FROM,
    ]);
    expect(result).toEqual({
      authenticated: false,
      reason:
        'Not authenticated: the message has no Authentication-Results header from a trusted authserv-id.',
    });
  });

  it('authserv-ids match exactly, in any case; no prefix, suffix or parent matches', async () => {
    const header = (id: string) => [authResults(`${id}; dkim=pass header.d=example.com`), FROM];
    expect((await raw(header('MX.HelperKit.Example'))).authenticated).toBe(true);
    expect((await raw(header('"mx.helperkit.example"'))).authenticated).toBe(true);
    for (const id of ['helperkit.example', 'mx.helperkit.example.evil', 'x.mx.helperkit.example']) {
      expect((await raw(header(id))).authenticated).toBe(false);
    }
  });

  it('with no trusted authserv-id configured, no header can authenticate', async () => {
    const result = await raw(
      [authResults('mx.helperkit.example; dkim=pass header.d=example.com'), FROM],
      [],
    );
    expect(result.authenticated).toBe(false);
    expect(!result.authenticated && result.reason).toContain('trustedAuthServIds is empty');
  });

  it('a pass hidden in a statement that does not parse is not read as a pass', async () => {
    const result = await raw([
      authResults('mx.helperkit.example; dkim=pass header.d (example.com; spf=fail'),
      FROM,
    ]);
    expect(result.authenticated).toBe(false);
  });
});

describe('authenticateSender: the From header', () => {
  const pass = authResults('mx.helperkit.example; dmarc=pass header.from=example.com');

  it('several From addresses are unauthenticated, even with passing evidence', async () => {
    expect(await raw([pass, 'From: ann@example.com, bob@example.com'])).toEqual({
      authenticated: false,
      reason: 'The From header has 2 addresses; only a single sender can be authenticated.',
    });
    const group = await raw([pass, 'From: Team: ann@example.com, bob@example.com;']);
    expect(group.authenticated).toBe(false);
  });

  it('a message without a From address is unauthenticated', async () => {
    expect(await raw([pass, 'Subject: no sender'])).toEqual({
      authenticated: false,
      reason: 'The From header has no address.',
    });
  });

  it('a From domain that is a public suffix or no domain cannot be authenticated', async () => {
    const publicSuffix = await raw([
      authResults('mx.helperkit.example; dkim=pass header.d=co.uk'),
      'From: x@co.uk',
    ]);
    expect(publicSuffix).toEqual({
      authenticated: false,
      reason: 'The From address has no domain that can be authenticated.',
    });
    const local = authenticateSender({
      fromAddresses: ['root'],
      headerLines: [],
      trustedAuthServIds: TRUSTED,
    });
    expect(local.authenticated).toBe(false);
  });

  it('an IDN From domain matches its punycode evidence', async () => {
    const message = await parseHeaders(
      authResults('mx.helperkit.example; dkim=pass header.d=xn--bcher-kva.de'),
      'From: =?UTF-8?Q?B=C3=BCcher?= <info@xn--bcher-kva.de>',
    );
    const unicode = authenticateSender({
      ...message,
      fromAddresses: ['info@bücher.de'],
      trustedAuthServIds: TRUSTED,
    });
    expect(unicode).toEqual({ authenticated: true, method: 'dkim', domain: 'xn--bcher-kva.de' });
  });
});
