import { describe, expect, it } from '@jest/globals';
import { clientIdRule, messageBodyRule } from '../src/index.js';

describe('messageBodyRule', () => {
  it('keeps line breaks, normalises CRLF and trims', () => {
    expect(messageBodyRule('  Hello\r\nthere\n\tfriend  ')).toEqual({
      ok: true,
      value: 'Hello\nthere\n\tfriend',
    });
  });

  it('accepts exactly 10,000 characters, counting an emoji as one', () => {
    expect(messageBodyRule('x'.repeat(10_000)).ok).toBe(true);
    expect(messageBodyRule('😀'.repeat(10_000)).ok).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['an empty body', '', 'too_short'],
    ['a blank body', ' \n\t ', 'too_short'],
    ['10,001 characters', 'x'.repeat(10_001), 'too_long'],
    ['a NUL byte', 'a\u0000b', 'control_characters'],
    ['an escape sequence', 'a\u001b[31mb', 'control_characters'],
    ['a number', 42, 'wrong_type'],
  ])('refuses %s', (_label, value, code) => {
    expect(messageBodyRule(value)).toMatchObject({ ok: false, code });
  });
});

describe('clientIdRule', () => {
  it('accepts UUIDs and similar ids', () => {
    expect(clientIdRule('4f8c2a56-1b1e-4c53-9f0e-7e1d8f4e2b6a').ok).toBe(true);
    expect(clientIdRule('msg:1.2_3').ok).toBe(true);
  });

  it.each<[unknown, string]>([
    ['', 'too_short'],
    ['x'.repeat(129), 'too_long'],
    ['has space', 'invalid_choice'],
    ['<script>', 'invalid_choice'],
    [7, 'wrong_type'],
  ])('refuses %p', (value, code) => {
    expect(clientIdRule(value)).toMatchObject({ ok: false, code });
  });
});
