import { describe, expect, it } from 'vitest';
import { fakeServer, mountHelper, panelIsVisible } from './harness.js';

describe('email-to-chat link (?helper_chat=)', () => {
  it('opens the widget, keeps the token and removes it from the address bar', async () => {
    history.replaceState(
      { router: 'state' },
      '',
      '/account?tab=billing&helper_chat=tok-123#orders',
    );
    const server = fakeServer();
    const { helper } = await mountHelper({ showToggleButton: false });

    expect(helper.isOpen.value).toBe(true);
    expect(panelIsVisible()).toBe(true);
    expect(helper.chatLinkToken.value).toBe('tok-123');
    expect(location.pathname + location.search + location.hash).toBe('/account?tab=billing#orders');
    expect(history.state).toEqual({ router: 'state' });
    // Client-side only for now: the session request does not carry it.
    expect(JSON.stringify(server.sessionRequests())).not.toContain('tok-123');
  });

  it('without the parameter the widget stays closed and the URL untouched', async () => {
    history.replaceState(null, '', '/account?tab=billing#orders');
    fakeServer();
    const { helper } = await mountHelper();

    expect(helper.isOpen.value).toBe(false);
    expect(helper.chatLinkToken.value).toBeNull();
    expect(location.href).toBe('https://shop.example.com/account?tab=billing#orders');
  });
});
