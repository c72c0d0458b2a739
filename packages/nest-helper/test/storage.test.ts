import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS, validateSettingsPatch } from '@helperkit/core';
import { openPostgresStorage } from '../src/storage/postgres.js';
import { openSqliteStorage } from '../src/storage/sqlite.js';
import { createTestDatabase } from './support/postgres.js';
import type { HelperStorage } from '../src/storage/storage.js';
import { tempDatabasePath } from './support/app.js';

// The storage contract, run against every implementation (PostgreSQL joins this list).
const implementations: Array<[string, () => Promise<HelperStorage>]> = [
  ['SQLite', () => openSqliteStorage(tempDatabasePath())],
  ['PostgreSQL', async () => openPostgresStorage(await createTestDatabase())],
];

describe.each(implementations)('%s storage', (_name, open) => {
  let storage: HelperStorage;
  beforeEach(async () => {
    storage = await open();
    await storage.ensureMailboxes(['default', 'sales']);
  });
  afterEach(async () => {
    await storage.close();
  });

  it('creates mailboxes with the default settings, once', async () => {
    await storage.ensureMailboxes(['default']);
    expect(await storage.getSettings('default')).toEqual(DEFAULT_SETTINGS);
    expect(await storage.getSettings('missing')).toBeNull();
  });

  it('updates settings only when the update succeeds', async () => {
    const failed = await storage.updateSettings('default', (current) =>
      validateSettingsPatch({ minValue: -1 }, current),
    );
    expect(failed?.ok).toBe(false);
    expect(await storage.getSettings('default')).toEqual(DEFAULT_SETTINGS);
    const done = await storage.updateSettings('default', (current) =>
      validateSettingsPatch({ minValue: 5 }, current),
    );
    expect(done).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, minValue: 5 } });
    expect(await storage.getSettings('sales')).toEqual(DEFAULT_SETTINGS);
    expect(
      await storage.updateSettings('missing', () => ({ ok: true, value: DEFAULT_SETTINGS })),
    ).toBeNull();
  });

  it('serialises concurrent read-modify-write updates', async () => {
    const fields = [
      { minValue: 1 },
      { title: 'A' },
      { displayMode: 'off' },
      { allowAnonymous: false },
    ];
    await Promise.all(
      fields.map((patch) =>
        storage.updateSettings('default', (current) => validateSettingsPatch(patch, current)),
      ),
    );
    expect(await storage.getSettings('default')).toEqual({
      ...DEFAULT_SETTINGS,
      ...Object.assign({}, ...fields),
    });
  });

  it('upserts customers, keeping the fields an update leaves out', async () => {
    const created = await storage.upsertCustomer('default', 'ann@example.com', {
      name: 'Ann',
      value: 10,
      links: { CRM: 'https://crm.example.com' },
    });
    expect(created).toMatchObject({
      mailbox: 'default',
      email: 'ann@example.com',
      name: 'Ann',
      value: 10,
      links: { CRM: 'https://crm.example.com' },
    });
    const updated = await storage.upsertCustomer('default', 'ann@example.com', { value: 20 });
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Ann',
      value: 20,
      links: { CRM: 'https://crm.example.com' },
    });
    expect(await storage.getCustomer('default', 'ann@example.com')).toEqual(updated);
    expect(Object.keys(updated).sort()).toEqual([
      'email',
      'id',
      'links',
      'mailbox',
      'name',
      'updatedAt',
      'value',
    ]);
  });

  it('keeps customers apart per mailbox and per exact email', async () => {
    await storage.upsertCustomer('default', 'ann@example.com', { value: 1 });
    await storage.upsertCustomer('sales', 'ann@example.com', { value: 2 });
    expect((await storage.getCustomer('default', 'ann@example.com'))?.value).toBe(1);
    expect((await storage.getCustomer('sales', 'ann@example.com'))?.value).toBe(2);
    expect(await storage.getCustomer('default', 'Ann@example.com')).toBeNull();
  });

  describe('conversations', () => {
    const newConversation = (
      clientId: string | null,
      owner: `email:${string}` = 'email:ann@example.com',
    ) => ({
      mailbox: 'default',
      owner,
      customerEmail: 'ann@example.com',
      subject: null,
      origin: 'chat' as const,
      clientId,
      firstMessage: {
        author: 'customer' as const,
        body: 'Hello',
        origin: 'chat' as const,
        clientId,
      },
    });

    it('stores a conversation, its first message and one event, once per client id', async () => {
      const first = await storage.createConversation(newConversation('c-1'));
      expect(first.created).toBe(true);
      expect(first.events).toHaveLength(1);
      expect(first.value.conversation.publicId).toMatch(/^c_[A-Za-z0-9_-]{24}$/);
      const again = await storage.createConversation(newConversation('c-1'));
      expect(again).toMatchObject({ created: false, events: [] });
      expect(again.value.conversation.id).toBe(first.value.conversation.id);
      expect(again.value.message.id).toBe(first.value.message.id);
      const withoutId = await storage.createConversation(newConversation(null));
      expect(withoutId.value.conversation.id).not.toBe(first.value.conversation.id);
    });

    it('stores a message once per client id and records events in order', async () => {
      const { value } = await storage.createConversation(newConversation(null));
      const message = {
        author: 'customer' as const,
        body: 'Again',
        origin: 'chat' as const,
        clientId: 'm-1',
      };
      const added = await storage.addMessage(value.conversation, message);
      const repeated = await storage.addMessage(value.conversation, message);
      expect(repeated).toMatchObject({ created: false, events: [] });
      expect(repeated.value.id).toBe(added.value.id);
      const staffReply = await storage.addMessage(value.conversation, {
        ...message,
        author: 'staff',
      });
      expect(staffReply.created).toBe(true);
      const messages = await storage.listMessages(value.conversation.id, { limit: 10 });
      expect(messages.map((m) => m.body)).toEqual(['Hello', 'Again', 'Again']);
      const events = await storage.eventsAfter(
        'default',
        { owner: 'email:ann@example.com' },
        0,
        10,
      );
      expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
      expect(events).toHaveLength(3);
      expect(await storage.lastEventId('default', {})).toBe(events.at(-1)!.id);
      expect(
        (await storage.latestMessages([value.conversation.id])).get(value.conversation.id)?.id,
      ).toBe(staffReply.value.id);
    });

    it('keeps events apart per owner', async () => {
      await storage.createConversation(newConversation(null, 'email:ann@example.com'));
      await storage.createConversation(newConversation(null, 'email:bob@example.com'));
      const anns = await storage.eventsAfter('default', { owner: 'email:ann@example.com' }, 0, 10);
      expect(anns.every((event) => event.owner === 'email:ann@example.com')).toBe(true);
      expect(await storage.eventsAfter('default', {}, 0, 10)).toHaveLength(2);
    });
  });

  it('creates one customer when two first visits race', async () => {
    const [first, second] = await Promise.all([
      storage.upsertCustomer('default', 'race@example.com', { name: 'One' }),
      storage.upsertCustomer('default', 'race@example.com', { value: 7 }),
    ]);
    expect(first!.id).toBe(second!.id);
    expect(await storage.getCustomer('default', 'race@example.com')).toMatchObject({
      name: 'One',
      value: 7,
    });
  });
});

describe('SQLite durability', () => {
  it('keeps every committed write when the process is killed', async () => {
    const path = tempDatabasePath();
    const child = fileURLToPath(new URL('./fixtures/write-then-crash.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, path], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '--conditions=@helperkit/source' },
      timeout: 20_000,
    });
    // The child writes, then kills itself with SIGKILL: no close, no checkpoint, no clean exit.
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toContain('written');
    const storage = await openSqliteStorage(path);
    expect(await storage.getSettings('default')).toEqual({
      ...DEFAULT_SETTINGS,
      title: 'After crash',
      minValue: 3,
    });
    expect(await storage.getCustomer('default', 'crash@example.com')).toMatchObject({ value: 99 });
    await storage.close();
  });
});
