import { afterEach, describe, expect, it } from 'vitest';
import { createHelper, useHelper } from '../src/index.js';
import { API } from './harness.js';

// A host's production build replaces process.env.NODE_ENV, and the explanations meant for its
// developer drop out (docs/widget.md#size). A mistake still fails, naming what is wrong.
describe('in a production build', () => {
  const given = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = given;
  });

  it('a mistaken option still fails at start-up, naming the option', () => {
    process.env.NODE_ENV = 'production';

    expect(() => createHelper({ apiBase: API, theme: 'blue' as 'dark' })).toThrow(
      new TypeError('createHelper(): invalid theme'),
    );
    expect(() => createHelper({ apiBase: '' })).toThrow('createHelper(): invalid apiBase');
  });

  it('useHelper() outside setup() still throws, saying so', () => {
    process.env.NODE_ENV = 'production';

    expect(() => useHelper()).toThrow(new Error('useHelper(): outside setup()'));
  });
});
