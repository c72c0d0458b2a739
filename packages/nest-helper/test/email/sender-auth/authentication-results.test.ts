import { describe, expect, it } from '@jest/globals';
import {
  parseAuthenticationResults,
  type AuthenticationResults,
} from '../../../src/email/sender-auth/authentication-results.js';

/** The statements of a header as `method=result` plus their properties, for compact assertions. */
const statements = (header: AuthenticationResults | null) =>
  header?.results.map((result) => ({
    method: result.method,
    result: result.result,
    ...Object.fromEntries(result.properties),
  }));

describe('parseAuthenticationResults: the shapes of RFC 8601 appendix B', () => {
  it('reads a header that says no checks were done', () => {
    const header = parseAuthenticationResults(' mail.example.org 1; none');
    expect(header).toEqual({ authservId: 'mail.example.org', version: 1, results: [], skipped: 0 });
  });

  it('reads the authserv-id without a version, and a single SPF statement', () => {
    const header = parseAuthenticationResults(
      ' mx.example.net; spf=pass smtp.mailfrom=example.org',
    );
    expect(header?.authservId).toBe('mx.example.net');
    expect(header?.version).toBeNull();
    expect(statements(header)).toEqual([
      { method: 'spf', result: 'pass', 'smtp.mailfrom': 'example.org' },
    ]);
  });

  it('reads several statements with comments, a reason and a folded line', () => {
    const header = parseAuthenticationResults(
      ' mx.example.net;\r\n' +
        '   auth=pass (cram-md5) smtp.auth=ann;\r\n' +
        '   spf=pass smtp.mailfrom=example.org;\r\n' +
        '   sender-id=fail header.from=example.org;\r\n' +
        '   dkim=pass reason="good signature" header.i=@mail-router.example.org',
    );
    expect(statements(header)).toEqual([
      { method: 'auth', result: 'pass', 'smtp.auth': 'ann' },
      { method: 'spf', result: 'pass', 'smtp.mailfrom': 'example.org' },
      { method: 'sender-id', result: 'fail', 'header.from': 'example.org' },
      { method: 'dkim', result: 'pass', 'header.i': '@mail-router.example.org' },
    ]);
    expect(header?.results[3]?.reason).toBe('good signature');
  });

  it('reads a method version and a comment right after the authserv-id', () => {
    const header = parseAuthenticationResults(
      'mx.example.com (a comment; with a semicolon) 1; dkim/1=pass header.d=example.com',
    );
    expect(header?.version).toBe(1);
    expect(statements(header)).toEqual([
      { method: 'dkim', result: 'pass', 'header.d': 'example.com' },
    ]);
  });
});

describe('parseAuthenticationResults: comments, quoting and case', () => {
  it('allows comments, nested and with escapes, between every part of a property', () => {
    const header = parseAuthenticationResults(
      'mx.example.com; dkim (the (nested) one) = (x) pass (ok \\) still comment) ' +
        'header (p) . (q) d (r) = (s) example.com (t)',
    );
    expect(statements(header)).toEqual([
      { method: 'dkim', result: 'pass', 'header.d': 'example.com' },
    ]);
  });

  it('reads quoted-string values and a quoted local part with its domain', () => {
    const header = parseAuthenticationResults(
      '"mx.example.com"; spf=pass smtp.mailfrom="ann lee"@example.com; ' +
        'dkim=pass header.d="example.com"',
    );
    expect(header?.authservId).toBe('mx.example.com');
    expect(statements(header)).toEqual([
      { method: 'spf', result: 'pass', 'smtp.mailfrom': 'ann lee@example.com' },
      { method: 'dkim', result: 'pass', 'header.d': 'example.com' },
    ]);
  });

  it('keeps semicolons and equals signs inside comments and quotes out of the structure', () => {
    const header = parseAuthenticationResults(
      'mx.example.com; dkim=fail (spoof; dkim=pass header.d=bank.example) ' +
        'reason="x; dmarc=pass header.from=bank.example" header.d=other.example',
    );
    expect(statements(header)).toEqual([
      { method: 'dkim', result: 'fail', 'header.d': 'other.example' },
    ]);
  });

  it('lowercases method, result and property names, and keeps values as written', () => {
    const header = parseAuthenticationResults('MX.Example.COM; DKIM=Pass Header.D=Example.COM');
    expect(header?.authservId).toBe('MX.Example.COM');
    expect(statements(header)).toEqual([
      { method: 'dkim', result: 'pass', 'header.d': 'Example.COM' },
    ]);
  });

  it('reads real-world shapes: base64 values, bare key=value pairs, no space after ";"', () => {
    const header = parseAuthenticationResults(
      ' spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com; ' +
        'dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none ' +
        'header.from=example.com;compauth=pass reason=100',
    );
    // Microsoft's headers start with a statement where the authserv-id belongs: not parseable.
    expect(header).toBeNull();
    const google = parseAuthenticationResults(
      'mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=s1 header.b=Ab+/9x=;\r\n' +
        '       spf=pass (google.com: domain of ann@example.com designates 192.0.2.1 as ' +
        'permitted sender) smtp.mailfrom=ann@example.com;\r\n' +
        '       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com',
    );
    expect(statements(google)).toEqual([
      {
        method: 'dkim',
        result: 'pass',
        'header.i': '@example.com',
        'header.s': 's1',
        'header.b': 'Ab+/9x=',
      },
      { method: 'spf', result: 'pass', 'smtp.mailfrom': 'ann@example.com' },
      { method: 'dmarc', result: 'pass', 'header.from': 'example.com' },
    ]);
    const microsoft = parseAuthenticationResults(
      'mx.example.com; dmarc=pass action=none header.from=example.com',
    );
    expect(statements(microsoft)).toEqual([
      { method: 'dmarc', result: 'pass', 'header.from': 'example.com' },
    ]);
  });

  it('keeps the first copy of a repeated property', () => {
    const header = parseAuthenticationResults(
      'mx.example.com; dkim=pass header.d=example.com header.d=bank.example',
    );
    expect(header?.results[0]?.properties.get('header.d')).toBe('example.com');
  });
});

describe('parseAuthenticationResults: bad input', () => {
  it('answers null when no authserv-id can be read', () => {
    expect(parseAuthenticationResults('')).toBeNull();
    expect(parseAuthenticationResults('   (only a comment)  ')).toBeNull();
    expect(parseAuthenticationResults('; dkim=pass header.d=example.com')).toBeNull();
    expect(parseAuthenticationResults('mx.example.com dkim=pass header.d=example.com')).toBeNull();
    expect(parseAuthenticationResults('"mx.example.com; dkim=pass')).toBeNull();
    expect(parseAuthenticationResults('mx.example.com (unterminated; dkim=pass')).toBeNull();
  });

  it('leaves out a statement that does not parse and keeps the others', () => {
    const header = parseAuthenticationResults(
      'mx.example.com; dkim=pass header.d; spf pass smtp.mailfrom=x.example; ' +
        'dkim=; dmarc=pass header.from=example.com',
    );
    expect(header?.skipped).toBe(3);
    expect(statements(header)).toEqual([
      { method: 'dmarc', result: 'pass', 'header.from': 'example.com' },
    ]);
  });

  it('drops a statement whose quote never ends, instead of reading a pass out of it', () => {
    const header = parseAuthenticationResults(
      'mx.example.com; dkim=fail reason="open; dkim=pass header.d=bank.example',
    );
    expect(header?.results).toEqual([]);
    expect(header?.skipped).toBe(1);
  });

  it('reads a huge header in one pass', () => {
    const value = `mx.example.com; ${'dkim=fail header.d=x.example; '.repeat(20_000)}(((`;
    const header = parseAuthenticationResults(value);
    expect(header?.results).toHaveLength(20_000);
    expect(header?.skipped).toBe(1);
  });
});
