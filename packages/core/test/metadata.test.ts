import { describe, expect, it } from '@jest/globals';
import { validateCustomerMetadata } from '../src/index.js';

const fieldsOf = (input: unknown) => {
  const result = validateCustomerMetadata(input);
  return result.ok ? [] : result.errors.map(({ field, code }) => `${field}:${code}`);
};

describe('validateCustomerMetadata', () => {
  it('accepts every field and trims the name', () => {
    expect(
      validateCustomerMetadata({
        value: 1250.5,
        name: '  Ann Lee  ',
        links: { Admin: 'https://admin.example.com/users/42', CRM: 'http://crm.local/ann' },
      }),
    ).toEqual({
      ok: true,
      value: {
        value: 1250.5,
        name: 'Ann Lee',
        links: { Admin: 'https://admin.example.com/users/42', CRM: 'http://crm.local/ann' },
      },
    });
  });

  it('accepts an empty object and the boundaries', () => {
    expect(validateCustomerMetadata({})).toEqual({ ok: true, value: {} });
    const links = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, `https://e.com/${i}`]),
    );
    const result = validateCustomerMetadata({
      value: 0,
      name: 'x'.repeat(255),
      links: { ...links },
    });
    expect(result.ok).toBe(true);
    expect(validateCustomerMetadata({ links: { ['k'.repeat(64)]: 'https://e.com' } }).ok).toBe(
      true,
    );
  });

  it.each<[string, unknown, string[]]>([
    ['a negative value', { value: -0.01 }, ['value:negative']],
    ['a string value', { value: '100' }, ['value:wrong_type']],
    ['an infinite value', { value: Number.POSITIVE_INFINITY }, ['value:not_finite']],
    ['NaN', { value: Number.NaN }, ['value:not_finite']],
    ['a blank name', { name: '   ' }, ['name:too_short']],
    ['a long name', { name: 'x'.repeat(256) }, ['name:too_long']],
    ['a name with a newline', { name: 'Ann\nLee' }, ['name:control_characters']],
    ['a numeric name', { name: 7 }, ['name:wrong_type']],
    ['links as an array', { links: ['https://e.com'] }, ['links:wrong_type']],
    [
      '21 links',
      {
        links: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'https://e.com'])),
      },
      ['links:too_many'],
    ],
    ['an empty link name', { links: { '': 'https://e.com' } }, ['links:too_short']],
    [
      'a 65-character link name',
      { links: { ['k'.repeat(65)]: 'https://e.com' } },
      ['links:too_long'],
    ],
    ['a relative link', { links: { Admin: '/users/42' } }, ['links:invalid_url']],
    ['a javascript: link', { links: { Admin: 'javascript:alert(1)' } }, ['links:invalid_url']],
    ['a link with credentials', { links: { Admin: 'https://u:p@e.com' } }, ['links:invalid_url']],
    ['a non-string link', { links: { Admin: 42 } }, ['links:wrong_type']],
    ['an unknown field', { plan: 'gold' }, ['plan:unknown_field']],
    ['a context of 2,001 characters', { context: 'x'.repeat(2001) }, ['context:too_long']],
    ['a context with a NUL byte', { context: 'a\u0000b' }, ['context:control_characters']],
    [
      'a context with an escape sequence',
      { context: 'a\u001b[2Jb' },
      ['context:control_characters'],
    ],
    ['a context with a C1 control', { context: 'a\u0085b' }, ['context:control_characters']],
    ['a numeric context', { context: 42 }, ['context:wrong_type']],
    [
      'several bad fields at once',
      { value: -1, name: '', extra: true },
      ['value:negative', 'name:too_short', 'extra:unknown_field'],
    ],
  ])('refuses %s, naming each field', (_label, input, expected) => {
    expect(fieldsOf(input)).toEqual(expected);
  });

  it.each([null, 'x', 42, [], new Date()])('refuses %p, which is not an object', (input) => {
    expect(fieldsOf(input)).toEqual([':wrong_type']);
  });

  it('accepts a context of several lines: trimmed, CRLF made LF, tabs kept', () => {
    expect(validateCustomerMetadata({ context: '  Plan: Pro\r\nOrders:\t3\rNote  ' })).toEqual({
      ok: true,
      value: { context: 'Plan: Pro\nOrders:\t3\nNote' },
    });
  });

  it('accepts a context of exactly 2,000 characters, counting an emoji as one', () => {
    expect(validateCustomerMetadata({ context: 'x'.repeat(2000) }).ok).toBe(true);
    expect(validateCustomerMetadata({ context: '😀'.repeat(2000) }).ok).toBe(true);
  });

  it('accepts an empty context, which clears what was stored', () => {
    expect(validateCustomerMetadata({ context: '  ' })).toEqual({
      ok: true,
      value: { context: '' },
    });
  });

  it('names the offending link in its message', () => {
    const result = validateCustomerMetadata({ links: { Billing: 'ftp://e.com' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain('links.Billing');
  });
});
