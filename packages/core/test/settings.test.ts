import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SETTINGS, validateSettingsPatch, type WidgetSettings } from '../src/index.js';

const errorsOf = (patch: unknown, current?: WidgetSettings) => {
  const result = validateSettingsPatch(patch, current);
  return result.ok ? [] : result.errors.map(({ field, code }) => `${field}:${code}`);
};

describe('DEFAULT_SETTINGS', () => {
  it('are the documented defaults and cannot be changed by accident', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      displayMode: 'always',
      minValue: 0,
      title: 'Support',
      autoRespondEmailToChat: false,
      widgetHost: null,
      allowAnonymous: true,
    });
    expect(Object.isFrozen(DEFAULT_SETTINGS)).toBe(true);
  });
});

describe('validateSettingsPatch', () => {
  it('applies a partial update over the current settings', () => {
    expect(validateSettingsPatch({ displayMode: 'revenue_based', minValue: 500 })).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, displayMode: 'revenue_based', minValue: 500 },
    });
  });

  it('trims the title', () => {
    const result = validateSettingsPatch({ title: '  Help desk ' });
    expect(result.ok && result.value.title).toBe('Help desk');
  });

  it.each<[string, string]>([
    ['https://app.example.com/support', 'https'],
    ['http://localhost:5173/', 'http on localhost'],
    ['http://127.0.0.1:3000', 'http on 127.0.0.1'],
    ['http://[::1]:3000', 'http on ::1'],
    ['http://demo.localhost', 'http on a .localhost name'],
  ])('accepts widgetHost %s (%s)', (widgetHost) => {
    expect(errorsOf({ widgetHost })).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown displayMode', { displayMode: 'sometimes' }, ['displayMode:invalid_choice']],
    ['a negative minValue', { minValue: -1 }, ['minValue:negative']],
    ['a string minValue', { minValue: '5' }, ['minValue:wrong_type']],
    ['an infinite minValue', { minValue: Number.POSITIVE_INFINITY }, ['minValue:not_finite']],
    ['an empty title', { title: '' }, ['title:too_short']],
    ['a 101-character title', { title: 'x'.repeat(101) }, ['title:too_long']],
    ['a title with a control character', { title: 'Help\u0007' }, ['title:control_characters']],
    [
      'a non-boolean autoRespondEmailToChat',
      { autoRespondEmailToChat: 'yes' },
      ['autoRespondEmailToChat:wrong_type'],
    ],
    ['a relative widgetHost', { widgetHost: '/support' }, ['widgetHost:invalid_url']],
    [
      'an http widgetHost that is not local',
      { widgetHost: 'http://app.example.com' },
      ['widgetHost:insecure_url'],
    ],
    ['a javascript: widgetHost', { widgetHost: 'javascript:alert(1)' }, ['widgetHost:invalid_url']],
    [
      'a widgetHost with credentials',
      { widgetHost: 'https://u:p@app.example.com' },
      ['widgetHost:invalid_url'],
    ],
    [
      'an overlong widgetHost',
      { widgetHost: `https://e.com/${'x'.repeat(2048)}` },
      ['widgetHost:too_long'],
    ],
    ['a non-boolean allowAnonymous', { allowAnonymous: 1 }, ['allowAnonymous:wrong_type']],
    ['an unknown field', { hmacSecret: 'x' }, ['hmacSecret:unknown_field']],
    [
      'autoRespondEmailToChat on without a widgetHost',
      { autoRespondEmailToChat: true },
      ['widgetHost:required'],
    ],
  ])('refuses %s', (_label, patch, expected) => {
    expect(errorsOf(patch)).toEqual(expected);
  });

  it('accepts autoRespondEmailToChat when the widgetHost is already set, or set in the same patch', () => {
    const current = { ...DEFAULT_SETTINGS, widgetHost: 'https://app.example.com' };
    expect(errorsOf({ autoRespondEmailToChat: true }, current)).toEqual([]);
    expect(
      errorsOf({ autoRespondEmailToChat: true, widgetHost: 'https://app.example.com' }),
    ).toEqual([]);
  });

  it('refuses to clear the widgetHost while the auto-response needs it', () => {
    const current = {
      ...DEFAULT_SETTINGS,
      autoRespondEmailToChat: true,
      widgetHost: 'https://app.example.com',
    };
    expect(errorsOf({ widgetHost: null }, current)).toEqual(['widgetHost:required']);
    expect(errorsOf({ widgetHost: null, autoRespondEmailToChat: false }, current)).toEqual([]);
  });

  it('reports every bad field at once', () => {
    expect(errorsOf({ minValue: -1, title: '', displayMode: 'x' })).toEqual([
      'minValue:negative',
      'title:too_short',
      'displayMode:invalid_choice',
    ]);
  });

  it('refuses a patch that is not an object', () => {
    expect(errorsOf([{ minValue: 1 }])).toEqual([':wrong_type']);
  });
});
