import { describe, expect, it } from 'vitest';
import { ANN, fakeServer, json, mountHelper } from './harness.js';

const links = { Admin: 'https://admin.example.com/users/42' };

describe('customer metadata', () => {
  it('valid metadata goes with the identity, as core normalises it', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper({
      identity: ANN,
      metadata: { value: 250, name: '  Ann Lee ', links },
    });

    expect(server.sessionRequests()).toEqual([
      { ...ANN, customerMetadata: { value: 250, name: 'Ann Lee', links } },
    ]);
    expect(helper.error.value).toBeNull();
  });

  it('invalid metadata is reported field by field and not sent', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper({
      identity: ANN,
      metadata: { value: -1, links: { Admin: 'javascript:alert(1)' } },
    });

    expect(server.sessionRequests()).toEqual([ANN]);
    expect(helper.status.value).toBe('ready');
    expect(helper.error.value).toMatchObject({
      kind: 'metadata',
      code: 'validation_failed',
      fields: [
        { field: 'value', code: 'negative' },
        { field: 'links', code: 'invalid_url' },
      ],
    });
  });

  it('is never sent for an anonymous visitor', async () => {
    const server = fakeServer();
    await mountHelper({ metadata: { value: 250 } });

    expect(server.sessionRequests()).toEqual([{}]);
  });

  it('identify() sends its own metadata, and only that', async () => {
    const server = fakeServer();
    server.identity = () => json(200, ANN);
    const { helper } = await mountHelper({ metadata: { value: 250 } });
    const bob = { ...ANN, email: 'bob@example.com' };

    await helper.identify(bob, { name: 'Bob' });
    await helper.identify({ ...bob, timestamp: bob.timestamp + 1 });
    expect(server.sessionRequests()).toEqual([
      { ...ANN, customerMetadata: { value: 250 } },
      { ...bob, customerMetadata: { name: 'Bob' } },
      { ...bob, timestamp: bob.timestamp + 1 },
    ]);
  });
});
