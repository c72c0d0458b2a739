import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import {
  HELPER_CONVERSATION_STORAGE,
  HELPER_DATABASE,
  HelperChatModule,
  HelperModule,
  type ConversationOwner,
  type ConversationRecord,
  type ConversationStatus,
  type ConversationStorage,
  type MessageRecord,
  type NewConversation,
  type NewMessage,
  type Page,
  type Written,
} from '../src/index.js';
import type { SqlDatabase } from '../src/storage/sql-database.js';
import { StaffTokenGuard, tempDatabasePath } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';

/** A host's own conversation storage: in memory, as a host might keep them in its own store. */
class MemoryConversations implements ConversationStorage {
  readonly conversations: ConversationRecord[] = [];
  readonly messages: MessageRecord[] = [];
  private nextId = 1;

  async createConversation(
    input: NewConversation,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>> {
    const at = new Date().toISOString();
    const conversation: ConversationRecord = {
      id: this.nextId++,
      publicId: `c_${randomBytes(18).toString('base64url')}`,
      mailbox: input.mailbox,
      owner: input.owner,
      customerEmail: input.customerEmail,
      subject: input.subject,
      status: 'open',
      origin: input.origin,
      createdAt: at,
      lastActivityAt: at,
    };
    this.conversations.push(conversation);
    const { value } = await this.addMessage(conversation, input.firstMessage);
    return { value: { conversation, message: value.message }, created: true };
  }

  async findConversation(mailbox: string, publicId: string) {
    return this.conversations.find((c) => c.mailbox === mailbox && c.publicId === publicId) ?? null;
  }

  async findConversationById(mailbox: string, id: number) {
    return this.conversations.find((c) => c.mailbox === mailbox && c.id === id) ?? null;
  }

  async listConversations(
    mailbox: string,
    filter: { owner?: ConversationOwner; status?: ConversationStatus },
    page: Page,
  ) {
    return this.conversations
      .filter(
        (c) =>
          c.mailbox === mailbox &&
          (filter.owner === undefined || c.owner === filter.owner) &&
          (filter.status === undefined || c.status === filter.status),
      )
      .slice(page.offset, page.offset + page.limit);
  }

  async addMessage(conversation: ConversationRecord, input: NewMessage) {
    const message: MessageRecord = {
      id: this.nextId++,
      conversationId: conversation.id,
      ...input,
      createdAt: new Date().toISOString(),
    };
    this.messages.push(message);
    return { value: { conversation, message }, created: true };
  }

  async listMessages(conversationId: number, { limit }: { before?: number; limit: number }) {
    return this.messages.filter((m) => m.conversationId === conversationId).slice(-limit);
  }

  async latestMessages(ids: readonly number[]) {
    return new Map(
      ids.flatMap((id) => {
        const last = this.messages.filter((m) => m.conversationId === id).at(-1);
        return last ? [[id, last] as const] : [];
      }),
    );
  }

  async setStatus(conversation: ConversationRecord, status: ConversationStatus) {
    conversation.status = status;
    return { value: conversation, created: true };
  }
}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Starts a conversation over HTTP and reads it back as its customer and as staff. */
async function chatThrough(server: ReturnType<INestApplication['getHttpServer']>) {
  const session = await request(server)
    .post('/helper/widget/session')
    .send(signIdentity({ email: 'ann@example.com' }, SECRET))
    .expect(200);
  const bearer = { Authorization: `Bearer ${session.body.token as string}` };
  const started = await request(server)
    .post('/helper/conversations')
    .set(bearer)
    .send({ body: 'Kept by the host' })
    .expect(201);
  const mine = await request(server).get('/helper/conversations').set(bearer).expect(200);
  expect(mine.body.conversations).toEqual([
    expect.objectContaining({ id: started.body.conversation.id }),
  ]);
  await request(server)
    .get(`/helper/staff/conversations/${started.body.conversation.id as string}/messages`)
    .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
    .expect(200);
  return started.body.conversation.id as string;
}

const sqlConversationCount = async (target: INestApplication) => {
  const row = await target
    .get<SqlDatabase>(HELPER_DATABASE)
    .kysely.selectFrom('helper_conversations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

describe('a host’s own conversation storage', () => {
  const core = (storage?: { conversations: ConversationStorage }) =>
    HelperModule.forRoot({
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database: tempDatabasePath(),
      ...(storage ? { storage } : {}),
    });

  it('replaces the SQL one through the storage option', async () => {
    const memory = new MemoryConversations();
    const moduleRef = await Test.createTestingModule({
      imports: [core({ conversations: memory }), HelperChatModule.forRoot()],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const id = await chatThrough(app.getHttpServer());
    expect(memory.conversations.map((c) => c.publicId)).toEqual([id]);
    expect(memory.messages.map((m) => m.body)).toEqual(['Kept by the host']);
    expect(await sqlConversationCount(app)).toBe(0);
  });

  it('replaces it through its injection token (overrideProvider)', async () => {
    const memory = new MemoryConversations();
    const moduleRef = await Test.createTestingModule({
      imports: [core(), HelperChatModule.forRoot()],
    })
      .overrideProvider(HELPER_CONVERSATION_STORAGE)
      .useValue(memory)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await chatThrough(app.getHttpServer());
    expect(memory.conversations).toHaveLength(1);
    expect(await sqlConversationCount(app)).toBe(0);
  });
});
