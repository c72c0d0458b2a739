import { describe, expect, it } from '@jest/globals';
import { MAX_METADATA_DEPTH, MAX_METADATA_TEXT_LENGTH, canonicalMetadata } from '../src/node.js';

// Examples from RFC 8785 itself (sections 3.2.2 and 3.2.3), parsed from the JSON text a host
// would send, so the escapes below are JSON's, not JavaScript's.
describe('canonicalMetadata follows RFC 8785', () => {
  it('serialises numbers, strings and literals as the RFC example does', () => {
    const sent = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalMetadata(JSON.parse(sent))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts keys by UTF-16 code units, as the RFC example does', () => {
    const sent = String.raw`{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    // Read the order from the text: a parsed object would move the key "1" to the front.
    const values = [...canonicalMetadata(JSON.parse(sent)).matchAll(/:"([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('prints -0 as 0 and leaves out undefined properties, as JSON.stringify sends them', () => {
    expect(canonicalMetadata({ value: -0, name: undefined })).toBe('{"value":0}');
  });

  it('sorts a key named toJSON like any other: a link may be called that', () => {
    const links = {
      toJSON: 'https://t.example/',
      b: 'https://b.example/',
      a: 'https://a.example/',
    };
    expect(canonicalMetadata({ links })).toBe(
      '{"links":{"a":"https://a.example/","b":"https://b.example/","toJSON":"https://t.example/"}}',
    );
  });

  it('does not trim or otherwise change what was sent', () => {
    expect(canonicalMetadata({ name: '  Ann\tLee  ' })).toBe('{"name":"  Ann\\tLee  "}');
  });
});

describe('canonicalMetadata refuses what no host could sign the same way', () => {
  it.each<[string, unknown, RegExp]>([
    ['an array', [], /must be a JSON object/],
    ['null', null, /must be a JSON object/],
    ['a Date inside', { since: new Date(0) }, /metadata\.since is not a JSON value/],
    ['a function inside', { links: { x: () => 1 } }, /metadata\.links\.x is not a JSON value/],
    ['NaN', { value: Number.NaN }, /metadata\.value must be a finite number/],
    ['a lone surrogate in a key', { ['\ud800']: 1 }, /lone UTF-16 surrogate/],
    ['undefined in an array', { list: [undefined] }, /metadata\.list\[0\] is undefined/],
    [
      `nesting deeper than ${MAX_METADATA_DEPTH} levels`,
      JSON.parse(`${'{"a":'.repeat(MAX_METADATA_DEPTH + 1)}1${'}'.repeat(MAX_METADATA_DEPTH + 1)}`),
      /nested deeper than 32 levels/,
    ],
    [
      `more than ${MAX_METADATA_TEXT_LENGTH} characters of text`,
      { context: 'x'.repeat(MAX_METADATA_TEXT_LENGTH) },
      /more than 131072 characters/,
    ],
    [
      `an array of ${MAX_METADATA_TEXT_LENGTH} numbers`,
      { list: new Array<number>(MAX_METADATA_TEXT_LENGTH).fill(1) },
      /more than 131072 characters/,
    ],
  ])('refuses %s with a TypeError naming the problem', (_label, metadata, message) => {
    expect(() => canonicalMetadata(metadata)).toThrow(TypeError);
    expect(() => canonicalMetadata(metadata)).toThrow(message);
  });

  it('accepts nesting of exactly the limit', () => {
    const depth = MAX_METADATA_DEPTH;
    const nested = JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    expect(canonicalMetadata(nested)).toBe(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  });
});
