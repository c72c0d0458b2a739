import { describe, expect, it } from 'vitest';
import { fakeServer, mountHelper, panelIsVisible, settle, toggleButton } from './harness.js';

describe('floating toggle button', () => {
  // showToggleButton option x the server's showWidget -> is the button on the page?
  it.each([
    [true, true, true],
    [true, false, true],
    [false, true, false],
    [false, false, false],
    [undefined, true, true],
    [undefined, false, false],
  ])('showToggleButton %s, showWidget %s: button shown %s', async (option, showWidget, shown) => {
    const server = fakeServer();
    server.showWidget = showWidget;
    const { helper } = await mountHelper(option === undefined ? {} : { showToggleButton: option });

    expect(helper.showWidget.value).toBe(showWidget);
    expect(toggleButton() !== null).toBe(shown);
  });

  it('is a labelled button that opens the panel, then reads expanded and closes it', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    const button = toggleButton()!;

    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('aria-label')).toBe('Open Support chat');
    expect(button.getAttribute('aria-expanded')).toBe('false');

    button.click();
    await settle();
    expect(helper.isOpen.value).toBe(true);
    expect(panelIsVisible()).toBe(true);
    expect(document.querySelector('[role="dialog"]')!.id).toBe(
      button.getAttribute('aria-controls'),
    );
    // The same button, now the way to close the panel again.
    expect(toggleButton()).toBe(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-label')).toBe('Open Support chat');

    button.click();
    await settle();
    expect(helper.isOpen.value).toBe(false);
    expect(panelIsVisible()).toBe(false);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('a host element with data-helper-toggle opens and closes the chat while the button is hidden', async () => {
    const server = fakeServer();
    server.showWidget = false;
    const { helper } = await mountHelper();
    const contact = document.createElement('a');
    contact.href = '/contact';
    contact.dataset.helperToggle = '';
    contact.innerHTML = '<span>Contact support</span>';
    document.body.append(contact);
    expect(toggleButton()).toBeNull();

    // A click on a child of the marked element counts too (delegation uses closest()).
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    contact.querySelector('span')!.dispatchEvent(click);
    await settle();
    expect(click.defaultPrevented).toBe(true);
    expect(helper.isOpen.value).toBe(true);
    expect(panelIsVisible()).toBe(true);

    contact.click();
    await settle();
    expect(panelIsVisible()).toBe(false);
    expect(toggleButton()).toBeNull();
  });

  it('open() shows the panel even when the server hides the widget', async () => {
    const server = fakeServer();
    server.showWidget = false;
    const { helper } = await mountHelper();

    helper.open();
    await settle();
    expect(panelIsVisible()).toBe(true);
    helper.toggle();
    await settle();
    expect(panelIsVisible()).toBe(false);
    helper.toggle();
    await settle();
    expect(panelIsVisible()).toBe(true);
  });
});
