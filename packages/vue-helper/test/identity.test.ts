import { describe, expect, it, vi } from 'vitest';
import { ANN, apiError, fakeServer, json, mountHelper } from './harness.js';

describe('default identity: GET <apiBase>/widget/identity', () => {
  it('200: the signed identity goes into the session request', async () => {
    const server = fakeServer();
    server.identity = () => json(200, ANN);
    const { helper } = await mountHelper();

    expect(server.requests[0]).toMatchObject({
      method: 'GET',
      path: '/widget/identity',
      credentials: 'same-origin',
    });
    expect(server.sessionRequests()).toEqual([ANN]);
    expect(helper.session.value?.customer).toEqual({ name: null });
  });

  it('204: nobody is logged in, the session is anonymous', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();

    expect(server.requests.map((request) => request.path)).toEqual([
      '/widget/identity',
      '/widget/session',
      '/conversations', // the unread count, once the panel chunk is there
    ]);
    expect(server.sessionRequests()).toEqual([{}]);
    expect(helper.session.value?.customer).toBeNull();
    expect(helper.error.value).toBeNull();
  });

  it('a failure is reported, and the visitor still gets an anonymous session', async () => {
    const server = fakeServer();
    server.identity = () => apiError({ statusCode: 500, code: 'internal', message: 'Boom.' });
    const { helper } = await mountHelper();

    expect(server.sessionRequests()).toEqual([{}]);
    expect(helper.status.value).toBe('ready');
    expect(helper.error.value).toMatchObject({
      kind: 'identity',
      statusCode: 500,
      code: 'internal',
    });
  });

  it('an identity function that throws is reported the same way', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper({
      identity: vi.fn().mockRejectedValue(new Error('not logged in')),
    });

    expect(server.requests.some((request) => request.path === '/widget/identity')).toBe(false);
    expect(server.sessionRequests()).toEqual([{}]);
    expect(helper.error.value).toMatchObject({ kind: 'identity', message: 'not logged in' });
  });

  it('identity: null never asks', async () => {
    const server = fakeServer();
    await mountHelper({ identity: null });

    expect(server.requests.map((request) => request.path)).toEqual([
      '/widget/session',
      '/conversations',
    ]);
  });
});
