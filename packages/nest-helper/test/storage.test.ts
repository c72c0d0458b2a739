import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SETTINGS, validateSettingsPatch, type WidgetSettings } from '@helperkit/core';
import { openSqliteDatabase } from '../src/storage/sqlite.js';
import type { ChatEvent, ConversationRecord, NewConversation } from '../src/index.js';
import { tempDatabasePath } from './support/app.js';
import { bothDatabases } from './support/databases.js';
import { storesOf, type Stores } from './support/stores.js';

// The storage contract, run against every implementation.
describe.each(bothDatabases)('%s storage', (_name, open) => {
  let stores: Stores;
  beforeEach(async () => {
    stores = storesOf(await open());
    await stores.settings.ensureMailboxes(['default', 'sales']);
  });
  afterEach(async () => {
    await stores.database.close();
  });

  it('creates mailboxes with the default settings, once', async () => {
    await stores.settings.ensureMailboxes(['default']);
    expect(await stores.settings.getSettings('default')).toEqual(DEFAULT_SETTINGS);
    expect(await stores.settings.getSettings('missing')).toBeNull();
  });

  it('updates settings only when the update succeeds', async () => {
    const failed = await stores.settings.updateSettings('default', (current: WidgetSettings) =>
      validateSettingsPatch({ minValue: -1 }, current),
    );
    expect(failed?.ok).toBe(false);
    expect(await stores.settings.getSettings('default')).toEqual(DEFAULT_SETTINGS);
    const done = await stores.settings.updateSettings('default', (current: WidgetSettings) =>
      validateSettingsPatch({ minValue: 5 }, current),
    );
    expect(done).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, minValue: 5 } });
    expect(await stores.settings.getSettings('sales')).toEqual(DEFAULT_SETTINGS);
    expect(
      await stores.settings.updateSettings('missing', () => ({
        ok: true,
        value: DEFAULT_SETTINGS,
      })),
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
        stores.settings.updateSettings('default', (current: WidgetSettings) =>
          validateSettingsPatch(patch, current),
        ),
      ),
    );
    expect(await stores.settings.getSettings('default')).toEqual({
      ...DEFAULT_SETTINGS,
      ...Object.assign({}, ...fields),
    });
  });

  it('upserts customers, keeping the fields an update leaves out', async () => {
    const created = await stores.customers.upsertCustomer('default', 'ann@example.com', {
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
    const updated = await stores.customers.upsertCustomer('default', 'ann@example.com', {
      value: 20,
    });
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Ann',
      value: 20,
      links: { CRM: 'https://crm.example.com' },
    });
    expect(await stores.customers.getCustomer('default', 'ann@example.com')).toEqual(updated);
    expect(Object.keys(updated).sort()).toEqual([
      'context',
      'email',
      'id',
      'links',
      'mailbox',
      'name',
      'source',
      'updatedAt',
      'value',
    ]);
  });

  it('keeps customers apart per mailbox and per address without ASCII case', async () => {
    await stores.customers.upsertCustomer('default', 'ann@example.com', { value: 1 });
    await stores.customers.upsertCustomer('sales', 'ann@example.com', { value: 2 });
    expect((await stores.customers.getCustomer('default', 'ann@example.com'))?.value).toBe(1);
    expect((await stores.customers.getCustomer('sales', 'ann@example.com'))?.value).toBe(2);
    // ASCII case folds; a look-alike Unicode letter (the Kelvin sign) is another customer.
    expect((await stores.customers.getCustomer('default', 'Ann@EXAMPLE.com'))?.value).toBe(1);
    expect(await stores.customers.getCustomer('default', '\u212Ann@example.com')).toBeNull();
  });

  describe('conversations and events', () => {
    const newConversation = (
      clientId: string | null,
      owner: `email:${string}` = 'email:ann@example.com',
    ): NewConversation => ({
      mailbox: 'default',
      owner,
      customerEmail: 'ann@example.com',
      subject: null,
      origin: 'chat',
      clientId,
      firstMessage: { author: 'customer', body: 'Hello', origin: 'chat', clientId },
    });

    it('stores a conversation and its first message, once per client id', async () => {
      const first = await stores.conversations.createConversation(newConversation('c-1'));
      expect(first.created).toBe(true);
      expect(first.value.conversation.publicId).toMatch(/^c_[A-Za-z0-9_-]{24}$/);
      const again = await stores.conversations.createConversation(newConversation('c-1'));
      expect(again.created).toBe(false);
      expect(again.value.conversation.id).toBe(first.value.conversation.id);
      expect(again.value.message.id).toBe(first.value.message.id);
      const withoutId = await stores.conversations.createConversation(newConversation(null));
      expect(withoutId.value.conversation.id).not.toBe(first.value.conversation.id);
      expect(
        await stores.conversations.findConversationById('default', first.value.conversation.id),
      ).toEqual(first.value.conversation);
      expect(
        await stores.conversations.findConversation('sales', first.value.conversation.publicId),
      ).toBeNull();
    });

    it('stores a message once per client id; a customer message reopens the conversation', async () => {
      const { value } = await stores.conversations.createConversation(newConversation(null));
      const closed = await stores.conversations.setStatus(value.conversation, 'closed');
      expect(closed).toMatchObject({ created: true, value: { status: 'closed' } });
      const message = {
        author: 'customer' as const,
        body: 'Again',
        origin: 'chat' as const,
        clientId: 'm-1',
      };
      const added = await stores.conversations.addMessage(closed.value, message);
      expect(added.value.conversation.status).toBe('open');
      const repeated = await stores.conversations.addMessage(closed.value, message);
      expect(repeated.created).toBe(false);
      expect(repeated.value.message.id).toBe(added.value.message.id);
      const staffReply = await stores.conversations.addMessage(value.conversation, {
        ...message,
        author: 'staff',
      });
      expect(staffReply.created).toBe(true);
      const messages = await stores.conversations.listMessages(value.conversation.id, {
        limit: 10,
      });
      expect(messages.map((m) => m.body)).toEqual(['Hello', 'Again', 'Again']);
      expect(
        (await stores.conversations.latestMessages([value.conversation.id])).get(
          value.conversation.id,
        )?.id,
      ).toBe(staffReply.value.message.id);
    });

    it('records events in order, apart per owner, and hands them on once committed', async () => {
      const seen: ChatEvent[] = [];
      const stop = stores.events.watch((event) => seen.push(event));
      const ann = await stores.conversations.createConversation(newConversation(null));
      const bob = await stores.conversations.createConversation(
        newConversation(null, 'email:bob@example.com'),
      );
      for (const { conversation, message } of [ann.value, bob.value]) {
        await stores.events.record('default', conversation.owner, {
          type: 'message',
          conversation,
          message,
        });
      }
      const anns = await stores.events.eventsAfter(
        'default',
        { owner: 'email:ann@example.com' },
        0,
        10,
      );
      expect(anns).toHaveLength(1);
      expect(anns[0]!.data).toMatchObject({
        type: 'message',
        conversation: ann.value.conversation,
      });
      const all = await stores.events.eventsAfter('default', {}, 0, 10);
      expect(all.map((event) => event.id)).toEqual([anns[0]!.id, all[1]!.id]);
      expect(all[1]!.id).toBeGreaterThan(anns[0]!.id);
      expect(await stores.events.lastEventId('default', {})).toBe(all[1]!.id);
      expect(await stores.events.eventsAfter('sales', {}, 0, 10)).toEqual([]);
      await waitFor(() => seen.length === 2);
      expect(seen.map((event) => event.id)).toEqual(all.map((event) => event.id));
      stop();
    });

    // The transaction context is switched off whenever no transaction is open (it costs every
    // promise of the process otherwise): one transaction ending must not take it from another.
    it('keeps a transaction its own when another one ends before it', async () => {
      let endFirst!: () => void;
      const firstMayEnd = new Promise<void>((resolve) => (endFirst = resolve));
      let kept!: ConversationRecord;
      const first = stores.database.run(async () => {
        kept = (await stores.conversations.createConversation(newConversation('kept'))).value
          .conversation;
        await firstMayEnd;
      });
      const second = stores.database.run(async () => {
        await first; // committed: only this transaction is open now
        await stores.conversations.createConversation(newConversation('rolled back'));
        throw new Error('the rest of the second write failed');
      });
      endFirst();
      await first;
      await expect(second).rejects.toThrow('the rest of the second write failed');
      const listed = await stores.conversations.listConversations(
        'default',
        {},
        { offset: 0, limit: 10 },
      );
      expect(listed.map((conversation) => conversation.id)).toEqual([kept.id]);
    });

    it('writes nothing, and publishes nothing, when a transaction fails', async () => {
      const seen: ChatEvent[] = [];
      const stop = stores.events.watch((event) => seen.push(event));
      const failure = stores.database.run(async () => {
        const { value } = await stores.conversations.createConversation(newConversation('gone'));
        await stores.events.record('default', value.conversation.owner, {
          type: 'conversation',
          conversation: value.conversation,
        });
        throw new Error('the rest of the write failed');
      });
      await expect(failure).rejects.toThrow('the rest of the write failed');
      expect(
        await stores.conversations.listConversations('default', {}, { offset: 0, limit: 10 }),
      ).toEqual([]);
      expect(await stores.events.lastEventId('default', {})).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([]);
      stop();
    });
  });

  it('creates one customer when two first visits race', async () => {
    const [first, second] = await Promise.all([
      stores.customers.upsertCustomer('default', 'race@example.com', { name: 'One' }),
      stores.customers.upsertCustomer('default', 'race@example.com', { value: 7 }),
    ]);
    expect(first!.id).toBe(second!.id);
    expect(await stores.customers.getCustomer('default', 'race@example.com')).toMatchObject({
      name: 'One',
      value: 7,
    });
  });
});

/** Waits (a bounded while) until `done` holds: PostgreSQL hands events on through NOTIFY. */
async function waitFor(done: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !done(); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
    const stores = storesOf(await openSqliteDatabase(path));
    expect(await stores.settings.getSettings('default')).toEqual({
      ...DEFAULT_SETTINGS,
      title: 'After crash',
      minValue: 3,
    });
    expect(await stores.customers.getCustomer('default', 'crash@example.com')).toMatchObject({
      value: 99,
    });
    await stores.database.close();
  });
});
