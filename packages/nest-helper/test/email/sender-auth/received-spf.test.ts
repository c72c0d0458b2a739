import { describe, expect, it } from '@jest/globals';
import { parseReceivedSpf, spfMailFrom } from '../../../src/email/sender-auth/received-spf.js';

describe('parseReceivedSpf', () => {
  it("reads Postmark's documented shape: result, comment, key=value pairs", () => {
    const spf = parseReceivedSpf(
      ' Pass (sender SPF authorized) identity=mailfrom; client-ip=192.0.2.10; ' +
        'helo=mail.example.com; envelope-from=ann@example.com; receiver=abc+x@inbound.example.net',
    );
    expect(spf?.result).toBe('pass');
    expect(spf?.params.get('client-ip')).toBe('192.0.2.10');
    expect(spf && spfMailFrom(spf)).toBe('ann@example.com');
  });

  it('reads a quoted envelope-from, a nested comment and folding', () => {
    const spf = parseReceivedSpf(
      " pass (example.com: Sender is authorized to use 'ann@example.com' in 'mfrom' " +
        "identity (mechanism 'include:_spf.example.net' matched))\r\n receiver=mx-1;\r\n" +
        ' identity=mailfrom; envelope-from="ann@example.com"; helo=out.example.com;',
    );
    expect(spf?.result).toBe('pass');
    expect(spf && spfMailFrom(spf)).toBe('ann@example.com');
  });

  it('has no mail-from identity when the checked identity was HELO, or none is named', () => {
    const helo = parseReceivedSpf(
      'pass identity=helo; helo=example.com; envelope-from=a@b.example',
    );
    expect(helo && spfMailFrom(helo)).toBeNull();
    const bare = parseReceivedSpf(
      'pass (example.net: domain of a@example.com) client-ip=192.0.2.1;',
    );
    expect(bare && spfMailFrom(bare)).toBeNull();
  });

  it('answers null for what is not a Received-SPF value', () => {
    expect(parseReceivedSpf('')).toBeNull();
    expect(parseReceivedSpf('pass (unterminated')).toBeNull();
    expect(parseReceivedSpf('pass envelope-from')).toBeNull();
  });
});
