import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isWidgetVisible, type DisplayMode } from '../src/index.js';

const revenueBased = { displayMode: 'revenue_based' as const, minValue: 100 };

describe('isWidgetVisible', () => {
  it('always: shown to every visitor, anonymous ones included', () => {
    const settings = { displayMode: 'always' as const, minValue: 1000 };
    expect(isWidgetVisible(settings, null)).toBe(true);
    expect(isWidgetVisible(settings, { value: 0 })).toBe(true);
    expect(isWidgetVisible(settings, {})).toBe(true);
  });

  it('off: hidden from everyone', () => {
    const settings = { displayMode: 'off' as const, minValue: 0 };
    expect(isWidgetVisible(settings, null)).toBe(false);
    expect(isWidgetVisible(settings, { value: 1e9 })).toBe(false);
  });

  it.each<[string, unknown, boolean]>([
    ['a value above the threshold', 150, true],
    ['a value equal to the threshold', 100, true],
    ['a value just below the threshold', 99.99, false],
    ['a missing value', undefined, false],
    ['a negative value', -1, false],
    ['a numeric string', '150', false],
    ['NaN', Number.NaN, false],
    ['Infinity', Number.POSITIVE_INFINITY, false],
    ['null', null, false],
  ])('revenue_based with %s', (_label, value, visible) => {
    expect(isWidgetVisible(revenueBased, { value })).toBe(visible);
  });

  it('revenue_based: anonymous visitors never see it, even with a zero threshold', () => {
    expect(isWidgetVisible({ displayMode: 'revenue_based', minValue: 0 }, null)).toBe(false);
    expect(isWidgetVisible({ displayMode: 'revenue_based', minValue: 0 }, undefined)).toBe(false);
    expect(isWidgetVisible({ displayMode: 'revenue_based', minValue: 0 }, { value: 0 })).toBe(true);
  });

  it('an unknown display mode hides the icon', () => {
    expect(
      isWidgetVisible({ displayMode: 'sometimes' as DisplayMode, minValue: 0 }, { value: 5 }),
    ).toBe(false);
  });

  it('revenue_based agrees with value >= minValue for every finite non-negative pair', () => {
    const amount = fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(amount, amount, (minValue, value) => {
        expect(isWidgetVisible({ displayMode: 'revenue_based', minValue }, { value })).toBe(
          value >= minValue,
        );
      }),
    );
  });
});
