import { describe, expect, it } from 'vitest';
import { fakeServer, mountHelper, panel, panelIsVisible, settle, toggleButton } from './harness.js';

const pressEscape = (target: Element) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));

describe('chat panel', () => {
  it('is a labelled, non-modal dialog with a close button', async () => {
    fakeServer();
    const { helper } = await mountHelper({ title: 'Acme help' });
    helper.open();
    await settle();
    const dialog = panel()!;

    expect(dialog.getAttribute('aria-modal')).toBe('false');
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe(
      'Acme help',
    );
    const close = dialog.querySelector<HTMLButtonElement>(
      'button[aria-label="Close Acme help chat"]',
    )!;
    close.click();
    await settle();
    expect(helper.isOpen.value).toBe(false);
    expect(panelIsVisible()).toBe(false);
  });

  it('renders the default slot in its body, with the session', async () => {
    fakeServer();
    const { helper } = await mountHelper({}, ({ session }) => `chat for ${session?.token}`);
    helper.open();
    await settle();

    expect(panel()!.textContent).toContain('chat for anonymous-token-1');
  });

  it('takes focus on open; Escape closes it and focus returns to the toggle button', async () => {
    fakeServer();
    await mountHelper();
    toggleButton()!.focus();
    toggleButton()!.click();
    await settle();
    expect(document.activeElement).toBe(panel());

    pressEscape(panel()!.querySelector('button')!);
    await settle();
    expect(panelIsVisible()).toBe(false);
    expect(document.activeElement).toBe(toggleButton());
  });

  it('gives focus back to the host element that opened it', async () => {
    fakeServer();
    const { helper } = await mountHelper({ showToggleButton: false });
    const contact = document.createElement('button');
    contact.textContent = 'Contact support';
    contact.addEventListener('click', () => helper.open());
    document.body.append(contact);

    contact.focus();
    contact.click();
    await settle();
    expect(document.activeElement).toBe(panel());

    pressEscape(panel()!);
    await settle();
    expect(document.activeElement).toBe(contact);
  });

  it('leaves focus alone when it is elsewhere on the page as the panel closes', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    helper.open();
    await settle();
    const search = document.createElement('input');
    document.body.append(search);
    search.focus();

    helper.close();
    await settle();
    expect(document.activeElement).toBe(search);
  });
});
