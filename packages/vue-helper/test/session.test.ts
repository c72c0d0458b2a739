import { describe, expect, it, vi } from 'vitest';
import { ANONYMOUS_TOKEN_KEY } from '../src/index.js';
import { REFRESH_MARGIN_MS, RETRY_MS } from '../src/attach.js';
import { ANN, HOUR, apiError, fakeServer, json, mountHelper, panel, settle } from './harness.js';

const BOB = { email: 'bob@example.com', timestamp: 1_767_225_700_000, emailHash: 'b'.repeat(64) };

describe('session', () => {
  it('an anonymous visitor keeps their token across a reload', async () => {
    const server = fakeServer();
    const first = await mountHelper();
    expect(server.sessionRequests()).toEqual([{}]);
    expect(first.helper.session.value?.token).toBe('anonymous-token-1');
    first.wrapper.unmount();

    // The reload: a fresh app, the same localStorage.
    const second = await mountHelper();
    expect(server.sessionRequests()[1]).toEqual({ currentToken: 'anonymous-token-1' });
    expect(second.helper.status.value).toBe('ready');
    expect(localStorage.getItem(ANONYMOUS_TOKEN_KEY)).toBe('anonymous-token-2');
  });

  it('a signed identity given as an option is sent, and the anonymous token is dropped', async () => {
    localStorage.setItem(ANONYMOUS_TOKEN_KEY, 'anonymous-token-old');
    const server = fakeServer();
    const { helper } = await mountHelper({ identity: ANN });

    expect(server.sessionRequests()).toEqual([ANN]);
    expect(server.requests.some((request) => request.path === '/widget/identity')).toBe(false);
    expect(helper.session.value?.token).toBe('customer-token-1');
    expect(localStorage.getItem(ANONYMOUS_TOKEN_KEY)).toBeNull();
  });

  it('identify() starts a session for that identity without the anonymous token', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();
    expect(localStorage.getItem(ANONYMOUS_TOKEN_KEY)).toBe('anonymous-token-1');

    await helper.identify(ANN);
    expect(server.sessionRequests()[1]).toEqual(ANN);
    expect(helper.session.value?.token).toBe('customer-token-2');
    expect(localStorage.getItem(ANONYMOUS_TOKEN_KEY)).toBeNull();
  });

  it('reset() forgets the identity and token and starts a fresh anonymous session', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper({ identity: ANN });

    await helper.reset();
    expect(server.sessionRequests()).toEqual([ANN, {}]);
    expect(helper.session.value?.token).toBe('anonymous-token-2');
    expect(helper.session.value?.customer).toBeNull();
  });

  it('a newer identify() wins over an answer still on its way', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper({ identity: null });
    let answerAnn: () => void = () => undefined;
    const normal = server.session;
    server.session = (body) => new Promise((resolve) => (answerAnn = () => resolve(normal(body))));

    const ann = helper.identify(ANN);
    await settle(); // Ann's request is on its way, unanswered
    server.session = normal;
    await helper.identify(BOB);
    expect(helper.session.value?.token).toBe('customer-token-2'); // Bob's
    answerAnn(); // Ann's answer arrives late, as token 3, and is dropped
    await ann;
    await settle();
    expect(server.sessionRequests()).toEqual([{}, ANN, BOB]);
    expect(helper.session.value?.token).toBe('customer-token-2');
  });

  it('refreshes shortly before expiresAt, keeping the anonymous token', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = fakeServer();
    server.lifetimeMs = HOUR;
    const { helper } = await mountHelper();
    expect(server.sessionRequests()).toHaveLength(1);

    vi.advanceTimersByTime(HOUR - REFRESH_MARGIN_MS - 1000);
    await settle();
    expect(server.sessionRequests()).toHaveLength(1);

    vi.advanceTimersByTime(2000);
    await settle();
    expect(server.sessionRequests()[1]).toEqual({ currentToken: 'anonymous-token-1' });
    expect(helper.session.value?.token).toBe('anonymous-token-2');
  });

  it('asks the identity function again for each refresh, so the signature is fresh', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = fakeServer();
    server.lifetimeMs = HOUR;
    const identity = vi
      .fn()
      .mockResolvedValueOnce(ANN)
      .mockResolvedValueOnce({ ...ANN, timestamp: ANN.timestamp + HOUR });
    await mountHelper({ identity });

    vi.advanceTimersByTime(HOUR);
    await settle();
    expect(identity).toHaveBeenCalledTimes(2);
    expect(server.sessionRequests()).toEqual([ANN, { ...ANN, timestamp: ANN.timestamp + HOUR }]);
  });

  it('a failed refresh keeps the session and tries again later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = fakeServer();
    server.lifetimeMs = HOUR;
    const { helper } = await mountHelper();
    const normal = server.session;
    server.session = () => apiError({ statusCode: 503, code: 'unavailable', message: 'Down.' });

    vi.advanceTimersByTime(HOUR - REFRESH_MARGIN_MS);
    await settle();
    expect(helper.session.value?.token).toBe('anonymous-token-1');
    expect(helper.status.value).toBe('ready');
    expect(helper.error.value).toMatchObject({ kind: 'session', code: 'unavailable' });

    server.session = normal;
    vi.advanceTimersByTime(RETRY_MS);
    await settle();
    expect(server.sessionRequests()).toHaveLength(3);
    expect(helper.session.value?.token).toBe('anonymous-token-2');
    expect(helper.error.value).toBeNull();
  });

  it('a failed session request becomes error state, never an exception', async () => {
    const server = fakeServer();
    server.session = () =>
      apiError({
        statusCode: 400,
        code: 'validation_failed',
        message: 'Invalid identity.',
        fields: [{ field: 'emailHash', code: 'wrong_type', message: 'emailHash must be hex.' }],
      });
    const onError = vi.fn();
    const { helper } = await mountHelper({ identity: ANN, onError });

    expect(helper.status.value).toBe('error');
    expect(helper.session.value).toBeNull();
    const expected = {
      kind: 'session',
      statusCode: 400,
      code: 'validation_failed',
      message: 'Invalid identity.',
      fields: [{ field: 'emailHash', code: 'wrong_type', message: 'emailHash must be hex.' }],
    };
    expect(helper.error.value).toEqual(expected);
    expect(onError).toHaveBeenCalledWith(expected);
    helper.open();
    await settle();
    expect(panel()!.textContent).toContain('The chat is unavailable right now.');
  });

  it('a network failure is reported, and opening the chat tries again', async () => {
    const server = fakeServer();
    server.session = () => Promise.reject(new TypeError('Failed to fetch'));
    const { helper } = await mountHelper();
    expect(helper.error.value).toMatchObject({ kind: 'session', code: 'network_error' });
    expect(helper.error.value?.message).toContain('Failed to fetch');

    server.session = () =>
      json(200, {
        token: 't',
        showWidget: true,
        title: 'Support',
        customer: null,
        expiresAt: new Date(Date.now() + HOUR).toISOString(),
      });
    helper.open();
    await settle();
    expect(helper.status.value).toBe('ready');
    expect(helper.error.value).toBeNull();
  });

  it('an answer that is not a session is an error, not a crash', async () => {
    const server = fakeServer();
    server.session = () => json(200, { hello: 'world' });
    const { helper } = await mountHelper();

    expect(helper.error.value).toMatchObject({ kind: 'session', code: 'invalid_response' });
    expect(helper.status.value).toBe('error');
  });
});
