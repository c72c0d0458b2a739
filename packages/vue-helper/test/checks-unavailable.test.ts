import { describe, expect, it, vi } from 'vitest';
import { ANN, fakeServer, mountHelper, toggleButton } from './harness.js';

// The title and metadata checks are a chunk of their own, which can fail to load like any other.
vi.mock('../src/checks.js', () => {
  throw new Error('the chunk is offline');
});

describe('when the option checks cannot load', () => {
  it('the title option is left out and reported; the widget still shows', async () => {
    const server = fakeServer();
    server.title = 'Mailbox title';
    const { helper } = await mountHelper({ title: 'Acme help' });

    expect(toggleButton()?.getAttribute('aria-label')).toBe('Open Mailbox title chat');
    expect(helper.error.value).toMatchObject({ kind: 'title', code: 'checks_unavailable' });
  });

  it('metadata is not sent, and the visitor still gets a session', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper({ identity: ANN, metadata: { value: 250 } });

    expect(server.sessionRequests()).toEqual([ANN]);
    expect(helper.status.value).toBe('ready');
    expect(helper.error.value).toMatchObject({ kind: 'metadata', code: 'checks_unavailable' });
  });
});
