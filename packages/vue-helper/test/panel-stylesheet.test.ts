import { describe, expect, it, vi } from 'vitest';
import { fakeServer, mountHelper, panel, panelIsVisible, settle } from './harness.js';

// In this order: the stylesheet is linked once per page, and the page (document.head) outlives
// each test here.
const stylesheets = () => [...document.head.querySelectorAll('link[rel="stylesheet"]')];

describe("the panel's stylesheet", () => {
  it('that fails to load is reported, the panel is not shown unstyled, and the next open tries again', async () => {
    fakeServer();
    // The first link (the panel loads when the browser is first idle) never reaches the page: the
    // browser reports it as failed.
    vi.spyOn(document.head, 'append').mockImplementationOnce((link) => {
      queueMicrotask(() => (link as HTMLLinkElement).dispatchEvent(new Event('error')));
    });
    const { helper } = await mountHelper();

    expect(helper.error.value).toMatchObject({ kind: 'panel', code: 'panel_unavailable' });
    expect(helper.error.value?.message).toMatch(/panel\.css did not load/);
    expect(stylesheets()).toHaveLength(0);
    expect(panel()).toBeNull();

    helper.open();
    await settle();
    expect(panelIsVisible()).toBe(true);
    expect(stylesheets().map((link) => (link as HTMLLinkElement).href)).toEqual([
      expect.stringMatching(/\/panel\.css$/),
    ]);
  });

  it('is a file linked once per page, however many apps use the widget; no inline style', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    helper.open();
    await settle();

    expect(panelIsVisible()).toBe(true);
    expect(stylesheets()).toHaveLength(1);
    expect(document.querySelectorAll('style')).toHaveLength(0);
  });
});
