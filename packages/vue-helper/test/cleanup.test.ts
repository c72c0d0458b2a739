import { describe, expect, it, vi } from 'vitest';
import { HOUR, fakeServer, mountHelper, settle } from './harness.js';

describe('app.unmount()', () => {
  it('removes the document listener and clears the refresh timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = fakeServer();
    server.lifetimeMs = HOUR;
    const { wrapper, helper } = await mountHelper();
    const contact = document.createElement('button');
    contact.dataset.helperToggle = '';
    document.body.append(contact);
    const timers = vi.getTimerCount(); // the refresh timer, and Vue's devtools hook timeout

    wrapper.unmount();
    expect(vi.getTimerCount()).toBe(timers - 1);
    contact.click();
    vi.advanceTimersByTime(2 * HOUR);
    await settle();
    expect(helper.isOpen.value).toBe(false);
    expect(server.sessionRequests()).toHaveLength(1);
  });

  it('ignores an answer that arrives after unmount', async () => {
    const server = fakeServer();
    let answer: () => void = () => undefined;
    const normal = server.session;
    server.session = (body) => new Promise((resolve) => (answer = () => resolve(normal(body))));
    const { wrapper, helper } = await mountHelper();

    wrapper.unmount();
    answer();
    await settle();
    expect(helper.session.value).toBeNull();
    expect(localStorage.length).toBe(0);
  });
});
