import { describe, expect, it } from '@jest/globals';
import { resolveToggleButton } from '../src/index.js';

describe('resolveToggleButton', () => {
  it.each<[boolean | undefined, boolean, boolean]>([
    [true, true, true],
    [true, false, true],
    [false, true, false],
    [false, false, false],
    [undefined, true, true],
    [undefined, false, false],
  ])('client option %p with showWidget %p shows the button: %p', (option, showWidget, shown) => {
    expect(resolveToggleButton(option, showWidget)).toBe(shown);
  });

  it('treats a non-boolean option from untyped code as not given', () => {
    expect(resolveToggleButton('false' as unknown as boolean, true)).toBe(true);
    expect(resolveToggleButton(null as unknown as undefined, false)).toBe(false);
  });
});
