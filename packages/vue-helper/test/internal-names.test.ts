// The names the package's build shortens in dist (internal-names.ts) must be spelled by nothing
// outside the package's own code, or the shortened dist would stop matching it. See
// docs/widget.md#size.
import { createApp, effectScope, ref, type SetupContext } from 'vue';
import { describe, expect, it } from 'vitest';
import core from '../../core/src/api.ts?raw';
import { INTERNAL_NAMES } from '../internal-names.ts';
import en from '../src/i18n/en.js';

const sources: Record<string, string> = import.meta.glob('../src/**/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});
// The code without its comments, which may name anything.
const code = Object.entries(sources).map(
  ([file, text]) => [file, text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')] as const,
);

// What hosts and the server see: the public types, the events, the HTTP API's fields.
const publicTypes = [
  ...['types', 'events', 'choices', 'i18n/types'].map((name) => sources[`../src/${name}.ts`]),
  core,
].join('\n');

// A component's setup context, as Vue hands it over (`{ emit, slots, expose }`).
let setupContext: SetupContext | undefined;
createApp({
  setup: (_props: object, context: SetupContext) => {
    setupContext = context;
    return () => null;
  },
}).mount(document.createElement('div'));

// Objects of the platform and of Vue whose properties the widget's code reads or sets.
const platform: object[] = [
  Object.prototype,
  Array.prototype,
  String.prototype,
  Map.prototype,
  Set.prototype,
  Promise.prototype,
  URL.prototype,
  URLSearchParams.prototype,
  AbortController.prototype,
  AbortSignal.prototype,
  Response.prototype,
  Request.prototype,
  XMLHttpRequest.prototype,
  FormData.prototype,
  Event.prototype,
  KeyboardEvent.prototype,
  HTMLElement.prototype,
  HTMLInputElement.prototype,
  HTMLTextAreaElement.prototype,
  HTMLButtonElement.prototype,
  HTMLLinkElement.prototype,
  Document.prototype,
  History.prototype,
  Location.prototype,
  Storage.prototype,
  Intl.PluralRules.prototype,
  Intl.DateTimeFormat.prototype,
  ref(0),
  effectScope(),
  setupContext!,
];

describe.each(INTERNAL_NAMES)('the internal name %s', (name) => {
  it('is no catalogue key, string or public field', () => {
    expect(Object.keys(en)).not.toContain(name);
    // A placeholder's value is passed by name: t('notSent', { reason }).
    expect(JSON.stringify(en)).not.toContain(`{${name}}`);
    // In quotes, a name may be a key read at run time; not an element's tag (`h('progress')`)
    // nor a type's field (`StoreInternals['report']`), which leave no property behind.
    const quoted = new RegExp(`(?<!\\bh\\(|\\b[A-Z]\\w*\\[)['"\`]${name}['"\`]`);
    expect(code.filter(([, text]) => quoted.test(text)).map(([file]) => file)).toEqual([]);
    expect(publicTypes).not.toMatch(new RegExp(`\\b${name}\\??[:(]`));
  });

  it('is no property of the platform or of Vue', () => {
    expect(platform.filter((object) => name in object)).toEqual([]);
  });
});
