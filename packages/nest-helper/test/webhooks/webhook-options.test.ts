import { describe, expect, it } from '@jest/globals';
import {
  HelperConfigurationError,
  HelperModule,
  HELPER_RESOLVED_OPTIONS,
  type HelperModuleOptions,
  type ResolvedHelperOptions,
} from '../../src/index.js';
import { StaffTokenGuard, startApp, tempDatabasePath } from '../support/app.js';
import { SECRET } from '../support/secrets.js';

const start = (webhooks: unknown) =>
  startApp([
    HelperModule.forRoot({
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database: tempDatabasePath(),
      webhooks,
    } as HelperModuleOptions),
  ]);

const key = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
const SECRET_OF_32 = `whsec_${key(32)}`;

describe('the webhooks option', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an array', { url: 'https://example.com' }, /webhooks must be an array/],
    ['an entry that is not an object', ['https://example.com'], /webhooks\[0\] must be/],
    ['no url', [{ secret: SECRET_OF_32 }], /webhooks\[0\]\.url must be a URL/],
    ['a url that is not one', [{ url: 'example.com/hooks', secret: SECRET_OF_32 }], /\.url must/],
    [
      'plain http to another host',
      [{ url: 'http://hooks.example.com/helper', secret: SECRET_OF_32 }],
      /webhooks\[0\]\.url must be https:\/\/ \(http:\/\/ only for localhost/,
    ],
    [
      'another protocol',
      [{ url: 'ftp://localhost/helper', secret: SECRET_OF_32 }],
      /url must be https/,
    ],
    [
      'a password in the url',
      [{ url: 'https://user:pass@example.com/hooks', secret: SECRET_OF_32 }],
      /must not hold a user name or password/,
    ],
    [
      'a secret without its prefix',
      [{ url: 'https://example.com/hooks', secret: key(32) }],
      /webhooks\[0\]\.secret must be "whsec_" followed by the base64 of 24 to 64 random bytes/,
    ],
    [
      'a secret of 16 bytes',
      [{ url: 'https://example.com/hooks', secret: `whsec_${key(16)}` }],
      /secret must be "whsec_"/,
    ],
    [
      'a secret of 65 bytes',
      [{ url: 'https://example.com/hooks', secret: `whsec_${key(65)}` }],
      /secret must be "whsec_"/,
    ],
    [
      'a secret that is not base64',
      [{ url: 'https://example.com/hooks', secret: `whsec_${'!'.repeat(44)}` }],
      /secret must be "whsec_"/,
    ],
    [
      'an unknown event',
      [{ url: 'https://example.com/hooks', secret: SECRET_OF_32, events: ['message.created'] }],
      /webhooks\[0\]\.events: "message\.created" is not an event; known: helper\.conversation\.created,/,
    ],
    [
      'an empty event list',
      [{ url: 'https://example.com/hooks', secret: SECRET_OF_32, events: [] }],
      /events must be a non-empty array of event names \(omit it for all\)/,
    ],
    [
      'one url twice',
      [
        { url: 'https://example.com/hooks', secret: SECRET_OF_32 },
        { url: 'https://example.com/hooks', secret: `whsec_${key(24)}` },
      ],
      /webhooks\[1\]: its url is listed twice/,
    ],
  ])('refuses to start with %s, saying what to fix', async (_label, webhooks, message) => {
    const failure = start(webhooks);
    await expect(failure).rejects.toThrow(HelperConfigurationError);
    await expect(failure).rejects.toThrow(message);
  });

  it('never quotes the secret it refuses', async () => {
    const secret = `whsec_${key(16)}`;
    const message = await start([{ url: 'https://example.com/hooks', secret }]).catch(
      (error: Error) => error.message,
    );
    expect(message).toMatch(/secret must be/);
    expect(message).not.toContain(key(16));
  });

  it('takes https anywhere and http on the loopback, with all events by default', async () => {
    const app = await start([
      { url: 'https://hooks.example.com/helper', secret: SECRET_OF_32 },
      {
        url: 'http://localhost:8080/helper',
        secret: `whsec_${key(24)}`,
        events: ['helper.email.received'],
      },
      { url: 'http://127.0.0.1/helper', secret: `whsec_${key(64)}` },
      { url: 'http://[::1]:9000/helper', secret: SECRET_OF_32 },
    ]);
    const { webhooks } = app.get<ResolvedHelperOptions>(HELPER_RESOLVED_OPTIONS);
    expect(webhooks.map(({ url, key, events }) => [url, key.length, events.size])).toEqual([
      ['https://hooks.example.com/helper', 32, 5],
      ['http://localhost:8080/helper', 24, 1],
      ['http://127.0.0.1/helper', 64, 5],
      ['http://[::1]:9000/helper', 32, 5],
    ]);
    await app.close();
  });
});
