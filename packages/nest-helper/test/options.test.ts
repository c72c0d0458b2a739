import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HelperConfigurationError,
  HelperModule,
  type HelperModuleExtras,
  type HelperModuleOptions,
} from '../src/index.js';
import { StaffTokenGuard, startApp, tempDatabasePath } from './support/app.js';
import { SECRET } from './support/secrets.js';

const start = async (options: Partial<HelperModuleOptions & HelperModuleExtras>) =>
  startApp([
    HelperModule.forRoot({
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database: tempDatabasePath(),
      ...options,
    } as HelperModuleOptions),
  ]);

describe('start-up validation', () => {
  it.each<[string, Partial<HelperModuleOptions & HelperModuleExtras>, RegExp]>([
    ['no secrets', { hmacSecrets: [] }, /hmacSecrets must be a non-empty array/],
    ['a missing secret list', { hmacSecrets: undefined }, /hmacSecrets must be a non-empty array/],
    [
      'a short secret',
      { hmacSecrets: ['too-short'] },
      /hmacSecrets\[0\] is shorter than 32 bytes.*openssl rand -hex 32/,
    ],
    [
      'a short previous secret',
      { hmacSecrets: [SECRET, 'old'] },
      /hmacSecrets\[1\] is shorter than 32 bytes/,
    ],
    ['no admin guard', { adminGuard: undefined }, /adminGuard is required/],
    [
      'a prefix with a wildcard',
      { routePrefix: 'help/*' },
      /routePrefix "help\/\*" is not a plain path/,
    ],
    ['a prefix with a parent segment', { routePrefix: '../admin' }, /routePrefix/],
    ['a prefix with a space', { routePrefix: 'my help' }, /routePrefix/],
    [
      'a database of the wrong kind',
      { database: { url: 'mysql://x' } },
      /database must be a SQLite file path/,
    ],
    ['a bad mailbox slug', { mailboxes: ['Sales Team'] }, /mailboxes: "Sales Team" is not a slug/],
    [
      'a mailbox with a short secret of its own',
      { mailboxes: [{ slug: 'sales', hmacSecrets: ['short'] }] },
      /mailboxes "sales": hmacSecrets\[0\] is shorter than 32 bytes/,
    ],
    [
      'a mailbox listed twice',
      { mailboxes: ['sales', { slug: 'sales' }] },
      /mailboxes: "sales" is listed twice/,
    ],
    [
      'credentialed CORS for any origin',
      { cors: { origin: true, credentials: true } },
      /cors: credentials with origin true or "\*" would let any website act as your visitors/,
    ],
    [
      'credentialed CORS for "*"',
      { cors: { origin: '*', credentials: true } },
      /cors: credentials/,
    ],
  ])('fails with a message that says what to fix: %s', async (_label, options, message) => {
    const failure = start(options);
    await expect(failure).rejects.toThrow(HelperConfigurationError);
    await expect(failure).rejects.toThrow(message);
  });

  it('fails when the database path cannot be written', async () => {
    const file = tempDatabasePath();
    writeFileSync(file, 'not a directory');
    const failure = start({ database: join(file, 'helperkit.sqlite') });
    await expect(failure).rejects.toThrow(
      /database: cannot open the SQLite file .* writable directory/,
    );
  });

  it('never puts a secret in its messages', async () => {
    const shortSecret = 'short-but-secret';
    const failure = start({ hmacSecrets: [SECRET, shortSecret] });
    await expect(failure).rejects.toThrow(HelperConfigurationError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain(shortSecret);
    expect(message).not.toContain(SECRET);
  });
});
