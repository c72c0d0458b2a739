import { describe, expect, it } from 'vitest';
import {
  ANN,
  fakeServer,
  json,
  mountHelper,
  panelIsVisible,
  settle,
  shownTexts,
} from './harness.js';

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

describe('email-to-chat link, with the server', () => {
  const answerLink = (
    server: ReturnType<typeof fakeServer>,
    answer: (token: string) => Response,
  ) => {
    server.intercept = (request) =>
      request.method === 'POST' && request.path === '/conversations/from-link'
        ? answer((request.body as { token: string }).token)
        : undefined;
  };

  it('opens the linked conversation once the customer is identified', async () => {
    history.replaceState(null, '', '/account?helper_chat=link-token-1');
    const server = fakeServer();
    const emailed = server.chat.addConversation({ subject: 'Order 42', origin: 'email' }, [
      ['customer', 'Where is order 42?'],
    ]);
    answerLink(server, (token) =>
      token === 'link-token-1'
        ? json(200, { conversation: { ...emailed, lastMessage: null } })
        : json(404, { statusCode: 404, code: 'not_found', message: 'no' }),
    );
    const { helper } = await mountHelper({ identity: ANN });
    await settle();

    expect(server.chatRequests()).toContain('POST /conversations/from-link');
    expect(helper.chatLinkToken.value).toBeNull();
    expect(shownTexts()).toContain('Where is order 42?');
  });

  it('reports a link that is not the customer’s, and leaves the chat usable', async () => {
    history.replaceState(null, '', '/account?helper_chat=someone-elses');
    const server = fakeServer();
    answerLink(server, () =>
      json(404, { statusCode: 404, code: 'not_found', message: 'The conversation was not found.' }),
    );
    const { helper } = await mountHelper({ identity: ANN });
    await settle();

    expect(helper.error.value).toMatchObject({ kind: 'chat', code: 'not_found' });
    expect(helper.isOpen.value).toBe(true);
  });

  it('asks nothing of the server for an anonymous visitor', async () => {
    history.replaceState(null, '', '/account?helper_chat=link-token-2');
    const server = fakeServer();
    const { helper } = await mountHelper({ identity: null });
    await settle();

    expect(server.chatRequests()).not.toContain('POST /conversations/from-link');
    expect(helper.chatLinkToken.value).toBe('link-token-2');
  });
});
