import { describe, expect, it, vi } from 'vitest';
import { ANONYMOUS_TOKEN_KEY } from '../src/index.js';
import { ANN, fakeServer, mountHelper, panelIsVisible, settle, toggleButton } from './harness.js';

/** A browser whose first idle moment comes only when the test says so. */
function controlIdle() {
  const waiting: (() => void)[] = [];
  vi.stubGlobal('requestIdleCallback', (task: () => void) => waiting.push(task));
  return async () => {
    waiting.splice(0).forEach((task) => task());
    await settle();
  };
}

describe('start at the first idle moment', () => {
  it('nothing is requested and no button shows while the page loads; at idle both come', async () => {
    const idle = controlIdle();
    const server = fakeServer();
    const { helper } = await mountHelper();

    expect(server.requests).toEqual([]);
    expect(toggleButton()).toBeNull();
    expect(helper.status.value).toBe('idle');

    await idle();
    expect(server.sessionRequests()).toEqual([{}]);
    expect(helper.status.value).toBe('ready');
    expect(toggleButton()?.getAttribute('aria-label')).toBe('Open Support chat');
  });

  it('without requestIdleCallback, starts once the tasks queued before it have run', async () => {
    vi.stubGlobal('requestIdleCallback', undefined);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const server = fakeServer();
    await mountHelper();
    expect(server.requests).toEqual([]);

    vi.runOnlyPendingTimers();
    await settle();
    expect(server.sessionRequests()).toEqual([{}]);
    expect(toggleButton()).not.toBeNull();
  });

  it('identify() and open() before then are kept: one session, for that visitor, and the panel open', async () => {
    controlIdle(); // never idle: the calls themselves load the rest
    const server = fakeServer();
    const { helper } = await mountHelper();
    const seen: string[] = [];
    helper.on('ready', () => seen.push('ready'));
    helper.on('open', () => seen.push('open'));

    const identified = helper.identify(ANN);
    helper.open();
    await settle();
    await identified;

    expect(server.sessionRequests()).toEqual([ANN]);
    expect(server.requests.some((request) => request.path === '/widget/identity')).toBe(false);
    expect(helper.session.value?.token).toBe('customer-token-1');
    expect(panelIsVisible()).toBe(true);
    expect(seen).toEqual(['open', 'ready']);
  });

  it('the newest of several identify() and reset() calls before then wins, and reset() drops the stored token', async () => {
    controlIdle();
    localStorage.setItem(ANONYMOUS_TOKEN_KEY, 'anonymous-token-old');
    const server = fakeServer();
    const { helper } = await mountHelper({ identity: ANN });

    const calls = [helper.identify(ANN), helper.reset()];
    await settle();
    await Promise.all(calls);

    expect(server.sessionRequests()).toEqual([{}]);
    expect(helper.session.value?.customer).toBeNull();
    expect(localStorage.getItem(ANONYMOUS_TOKEN_KEY)).toBe('anonymous-token-1');
  });
});
