import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import {
  KyselyConversations,
  appendMessage,
  insertConversation,
  mailboxId,
  now,
  toConversation,
  toMessage,
  type Db,
} from './kysely-conversations.js';
import type { EmailDelivery } from '@helperkit/core';
import type { HelperDatabase, SqlDialectName } from './schema.js';
import type {
  ConversationRecord,
  InboundEmailInput,
  InboundEmailResult,
  MessageRecord,
  OutboxEntry,
  Stored,
} from './storage.js';

/**
 * Serialises, across instances (PostgreSQL), the transactions about one key: the same Message-ID
 * delivered to two instances at once is stored once, and one sender gets one reply per window.
 * SQLite has a single writer already.
 */
async function lockKey(trx: Db, dialect: SqlDialectName, key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  const id = createHash('sha256').update(key).digest().readBigInt64BE(0);
  await sql`select pg_advisory_xact_lock(${id.toString()}::bigint)`.execute(trx);
}

/** Inbound email and the auto-reply outbox, over Kysely, for every dialect. */
export class KyselyEmail extends KyselyConversations {
  recordInboundEmail(input: InboundEmailInput): Promise<Stored<InboundEmailResult>> {
    return this.write(async (trx) => {
      const mailbox = await mailboxId(trx, input.mailbox);
      await lockKey(trx, this.dialect, `inbound ${mailbox} ${input.emailMessageId}`);
      const earlier = await this.findInbound(trx, mailbox, input.mailbox, input.emailMessageId);
      if (earlier) return { value: earlier, created: false, events: [] };

      const thread = await this.findThread(trx, mailbox, input.mailbox, input.threadIds);
      const message = {
        author: 'customer' as const,
        body: input.body,
        origin: 'email' as const,
        clientId: null,
      };
      let conversation: ConversationRecord;
      let stored: MessageRecord;
      let events;
      if (thread) {
        const appended = await appendMessage(trx, this.dialect, thread, message);
        ({ value: stored, events } = appended);
        conversation = { ...thread, status: 'open' };
      } else {
        const created = await insertConversation(trx, this.dialect, {
          mailbox: input.mailbox,
          owner: input.owner,
          customerEmail: input.customerEmail,
          subject: input.subject,
          origin: 'email',
          clientId: null,
          firstMessage: message,
        });
        ({ conversation, message: stored } = created.value);
        events = created.events;
      }

      let answeredWithinWindow = false;
      if (input.replyRecipient !== null) {
        await lockKey(trx, this.dialect, `reply ${mailbox} ${input.replyRecipient.toLowerCase()}`);
        answeredWithinWindow = await this.answeredSince(
          trx,
          mailbox,
          input.replyRecipient,
          input.rateWindowMs,
        );
      }
      const decision = input.decide({
        conversation,
        isFirstMessage: !thread,
        answeredWithinWindow,
      });
      const inbound = await trx
        .insertInto('helper_inbound_emails')
        .values({
          mailbox_id: mailbox,
          email_message_id: input.emailMessageId,
          message_id: stored.id,
          auto_reply: 'draft' in decision ? 'queued' : 'skipped',
          skip_reason: 'skipReason' in decision ? decision.skipReason : null,
          created_at: now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let outboxId: number | null = null;
      if ('draft' in decision) {
        const at = now();
        const row = await trx
          .insertInto('helper_outbox')
          .values({
            mailbox_id: mailbox,
            inbound_id: Number(inbound.id),
            conversation_id: conversation.id,
            recipient: decision.draft.recipient.toLowerCase(),
            reply_message_id: decision.draft.replyMessageId,
            payload: JSON.stringify(decision.draft.payload),
            status: 'pending',
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        outboxId = Number(row.id);
      }
      return {
        value: {
          conversation,
          message: stored,
          duplicate: false,
          autoReply: 'draft' in decision ? 'queued' : 'skipped',
          skipReason: 'skipReason' in decision ? decision.skipReason : null,
          outboxId,
        },
        created: true,
        events,
      };
    });
  }

  async emailDeliveries(messageIds: readonly number[]): Promise<Map<number, EmailDelivery>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('helper_inbound_emails')
      .select(['message_id', 'auto_reply', 'skip_reason'])
      .where('message_id', 'in', [...messageIds])
      .execute();
    return new Map(
      rows.map((row) => [
        Number(row.message_id),
        { autoReply: row.auto_reply as EmailDelivery['autoReply'], skipReason: row.skip_reason },
      ]),
    );
  }

  async claimOutbox({
    now: at,
    leaseMs,
    limit,
    id,
  }: {
    now: Date;
    leaseMs: number;
    limit: number;
    id?: number;
  }): Promise<OutboxEntry[]> {
    return this.db.transaction().execute(async (trx) => {
      const nowIso = at.toISOString();
      let query = trx
        .selectFrom('helper_outbox')
        .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_outbox.mailbox_id')
        .select([
          'helper_outbox.id',
          'helper_outbox.recipient',
          'helper_outbox.payload',
          'helper_outbox.attempts',
          'helper_mailboxes.slug',
        ])
        .where('helper_outbox.status', '=', 'pending')
        .where('helper_outbox.next_attempt_at', '<=', nowIso)
        .where((eb) =>
          eb.or([
            eb('helper_outbox.lease_until', 'is', null),
            eb('helper_outbox.lease_until', '<=', nowIso),
          ]),
        )
        .orderBy('helper_outbox.id')
        .limit(limit);
      if (id !== undefined) query = query.where('helper_outbox.id', '=', id);
      // PostgreSQL: rows another instance is claiming right now are passed over, not waited for.
      if (this.dialect === 'postgres') query = query.forUpdate('helper_outbox').skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('helper_outbox')
        .set({ lease_until: new Date(at.getTime() + leaseMs).toISOString() })
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        mailbox: row.slug,
        recipient: row.recipient,
        payload: JSON.parse(row.payload) as unknown,
        attempts: Number(row.attempts),
      }));
    });
  }

  async completeOutbox(
    id: number,
    outcome: { sent: true; at: Date } | { sent: false; error: string; retryAt: Date | null },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('helper_outbox')
        .set((eb) =>
          outcome.sent
            ? {
                status: 'sent',
                sent_at: outcome.at.toISOString(),
                lease_until: null,
                attempts: eb('attempts', '+', 1),
              }
            : {
                status: outcome.retryAt ? 'pending' : 'failed',
                next_attempt_at: (outcome.retryAt ?? new Date()).toISOString(),
                last_error: outcome.error.slice(0, 1000),
                lease_until: null,
                attempts: eb('attempts', '+', 1),
              },
        )
        .where('id', '=', id)
        .returning('inbound_id')
        .executeTakeFirst();
      if (row && outcome.sent) {
        await trx
          .updateTable('helper_inbound_emails')
          .set({ auto_reply: 'sent' })
          .where('id', '=', row.inbound_id)
          .execute();
      }
    });
  }

  private async findInbound(
    trx: Transaction<HelperDatabase>,
    mailbox: number,
    slug: string,
    emailMessageId: string,
  ): Promise<InboundEmailResult | null> {
    const row = await trx
      .selectFrom('helper_inbound_emails as inbound')
      .innerJoin('helper_messages as message', 'message.id', 'inbound.message_id')
      .innerJoin(
        'helper_conversations as conversation',
        'conversation.id',
        'message.conversation_id',
      )
      .leftJoin('helper_outbox as outbox', 'outbox.inbound_id', 'inbound.id')
      .selectAll('conversation')
      .select([
        'inbound.auto_reply',
        'inbound.skip_reason',
        'outbox.id as outbox_id',
        'message.id as message_row_id',
        'message.conversation_id as message_conversation_id',
        'message.author',
        'message.body',
        'message.origin as message_origin',
        'message.client_id as message_client_id',
        'message.created_at as message_created_at',
      ])
      .where('inbound.mailbox_id', '=', mailbox)
      .where('inbound.email_message_id', '=', emailMessageId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      conversation: toConversation(row, slug),
      message: toMessage({
        id: row.message_row_id,
        conversation_id: row.message_conversation_id,
        author: row.author,
        body: row.body,
        origin: row.message_origin,
        client_id: row.message_client_id,
        created_at: row.message_created_at,
      }),
      duplicate: true,
      autoReply: row.auto_reply as InboundEmailResult['autoReply'],
      skipReason: row.skip_reason,
      outboxId: row.outbox_id === null ? null : Number(row.outbox_id),
    };
  }

  /** The conversation an email answers: one of its stored emails, or one of our replies. */
  private async findThread(
    trx: Transaction<HelperDatabase>,
    mailbox: number,
    slug: string,
    threadIds: string[],
  ): Promise<ConversationRecord | null> {
    if (threadIds.length === 0) return null;
    const ids = threadIds.slice(0, 50);
    const row = await trx
      .selectFrom('helper_conversations as conversation')
      .selectAll('conversation')
      .where('conversation.mailbox_id', '=', mailbox)
      .where((eb) =>
        eb.or([
          eb(
            'conversation.id',
            'in',
            eb
              .selectFrom('helper_inbound_emails as inbound')
              .innerJoin('helper_messages as message', 'message.id', 'inbound.message_id')
              .select('message.conversation_id')
              .where('inbound.mailbox_id', '=', mailbox)
              .where('inbound.email_message_id', 'in', ids),
          ),
          eb(
            'conversation.id',
            'in',
            eb
              .selectFrom('helper_outbox')
              .select('conversation_id')
              .where('mailbox_id', '=', mailbox)
              .where('reply_message_id', 'in', ids),
          ),
        ]),
      )
      .orderBy('conversation.last_activity_at', 'desc')
      .executeTakeFirst();
    return row ? toConversation(row, slug) : null;
  }

  private async answeredSince(
    trx: Transaction<HelperDatabase>,
    mailbox: number,
    recipient: string,
    windowMs: number,
  ): Promise<boolean> {
    const since = new Date(Date.now() - windowMs).toISOString();
    const row = await trx
      .selectFrom('helper_outbox')
      .select('id')
      .where('mailbox_id', '=', mailbox)
      .where('recipient', '=', recipient.toLowerCase())
      .where('created_at', '>', since)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
