import { describe, expect, it } from 'vitest';
import { apiError, fakeServer, mountHelper, panel, settle } from './harness.js';

const shownTitle = async (helper: { open(): void }) => {
  helper.open();
  await settle();
  return document.getElementById(panel()!.getAttribute('aria-labelledby')!)!.textContent;
};

describe('title', () => {
  it('the client option wins over the mailbox title', async () => {
    const server = fakeServer();
    server.title = 'Mailbox title';
    const { helper } = await mountHelper({ title: '  Acme help  ' });

    expect(await shownTitle(helper)).toBe('Acme help');
    expect(helper.title.value).toBe('Acme help');
  });

  it('without the option, the mailbox title from the session shows', async () => {
    const server = fakeServer();
    server.title = 'Mailbox title';
    const { helper } = await mountHelper();

    expect(await shownTitle(helper)).toBe('Mailbox title');
  });

  it('without either, "Support" shows', async () => {
    const server = fakeServer();
    server.session = () => apiError({ statusCode: 503, code: 'unavailable', message: 'Down.' });
    const { helper } = await mountHelper();

    expect(await shownTitle(helper)).toBe('Support');
  });

  it('an invalid title option is reported and ignored', async () => {
    const server = fakeServer();
    server.title = 'Mailbox title';
    const { helper } = await mountHelper({ title: 'x'.repeat(101) });

    expect(await shownTitle(helper)).toBe('Mailbox title');
    expect(helper.error.value).toMatchObject({
      kind: 'title',
      code: 'too_long',
      fields: [{ field: 'title', code: 'too_long' }],
    });
  });
});
