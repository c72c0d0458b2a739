import { describe, expect, it, vi } from 'vitest';
import { createHelper } from '../src/index.js';
import { ANN, API, fakeServer, mountHelper, settle, toggleButton } from './harness.js';

describe('options', () => {
  it.each([
    [true, true],
    [false, false],
  ])(
    'show_toggle_button %s (Helper’s own name) works as showToggleButton',
    async (given, shown) => {
      const server = fakeServer();
      server.showWidget = !given; // the option wins over the server either way
      await mountHelper({ show_toggle_button: given });

      expect(toggleButton() !== null).toBe(shown);
    },
  );

  it('showToggleButton and show_toggle_button that disagree fail at start-up', () => {
    expect(() =>
      createHelper({ apiBase: API, showToggleButton: true, show_toggle_button: false }),
    ).toThrow(/showToggleButton and its alias show_toggle_button disagree/);
  });

  it.each([
    [{ position: 'top' }, /position must be "right" or "left", not top/],
    [{ theme: 'blue' }, /theme must be "auto" or "light" or "dark", not blue/],
    [{ mailbox: 'no spaces' }, /mailbox must be the mailbox slug/],
    [{ show_toggle_button: 'no' }, /show_toggle_button must be a boolean/],
  ])('%o fails at start-up with what to fix', (bad, message) => {
    expect(() => createHelper({ apiBase: API, ...(bad as object) })).toThrow(message);
  });

  it('position "left" and theme "dark" mark the widget, for its stylesheet', async () => {
    fakeServer();
    await mountHelper({ position: 'left', theme: 'dark' });
    const root = toggleButton()!.closest('.helperkit')!;

    expect(root.getAttribute('data-helper-position')).toBe('left');
    expect(root.getAttribute('data-helper-theme')).toBe('dark');
  });

  it('theme "auto" follows prefers-color-scheme', async () => {
    fakeServer();
    const listeners: (() => void)[] = [];
    let dark = true;
    vi.stubGlobal('matchMedia', (query: string) => ({
      get matches() {
        return query.includes('dark') && dark;
      },
      addEventListener: (_: string, listener: () => void) => listeners.push(listener),
      removeEventListener: () => undefined,
    }));
    await mountHelper();
    const root = () => toggleButton()!.closest('.helperkit')!;
    expect(root().getAttribute('data-helper-theme')).toBe('dark');

    dark = false;
    listeners.forEach((listener) => listener());
    await settle();
    expect(root().getAttribute('data-helper-theme')).toBe('light');
  });

  it('mailbox goes in the session body; the default one is left to the server', async () => {
    const server = fakeServer();
    await mountHelper({ mailbox: 'billing', identity: ANN });
    await mountHelper({ identity: ANN });

    expect(server.sessionRequests()).toEqual([{ mailbox: 'billing', ...ANN }, ANN]);
  });

  it('metadata the server signed with the identity goes as it is, with its hash', async () => {
    const server = fakeServer();
    const metadata = { value: 250, name: 'Ann Lee' };
    await mountHelper({
      identity: { ...ANN, metadata, metadataHash: 'c'.repeat(64) },
      metadata: { value: 1 }, // unsigned: the signed metadata wins
    });

    expect(server.sessionRequests()).toEqual([
      { ...ANN, customerMetadata: metadata, metadataHash: 'c'.repeat(64) },
    ]);
  });
});
