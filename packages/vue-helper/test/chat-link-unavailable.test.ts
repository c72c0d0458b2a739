import { describe, expect, it, vi } from 'vitest';
import type { HelperError } from '../src/index.js';
import { fakeServer, mountHelper, panelIsVisible } from './harness.js';

// The email-to-chat link's code is a chunk of its own, which can fail to load like any other.
vi.mock('../src/chat-link.js', () => {
  throw new Error('the chunk is offline');
});

describe('when the email-to-chat link’s code cannot load', () => {
  it('the failure is reported, and the chat still opens and works', async () => {
    history.replaceState(null, '', '/account?helper_chat=tok-123');
    fakeServer();
    const errors: HelperError[] = [];
    const { helper } = await mountHelper({ onError: (error) => errors.push(error) });

    expect(errors).toContainEqual(
      expect.objectContaining({ kind: 'chat', code: 'link_unavailable' }),
    );
    expect(helper.status.value).toBe('ready');
    expect(helper.isOpen.value).toBe(true);
    expect(panelIsVisible()).toBe(true);
  });
});
