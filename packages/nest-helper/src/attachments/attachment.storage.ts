import { randomBytes } from 'node:crypto';
import type { Generated, Selectable } from 'kysely';
import type { SqlDatabase } from '../storage/sql-database.js';
import type {
  AttachmentRecord,
  AttachmentRefusal,
  AttachmentUploader,
  AttachmentWithConversation,
  NewAttachment,
} from './attachment.records.js';

/**
 * What is known of each attachment (its bytes are in the `AttachmentStore`). Writes join the
 * caller's transaction, so a message and the files it carries commit together. Replace it through
 * the `HELPER_ATTACHMENT_STORAGE` token (docs/storage.md).
 */
export interface AttachmentStorage {
  create(input: NewAttachment): Promise<AttachmentRecord>;
  /** One attachment with its conversation's mailbox and owner, for the download's access check. */
  find(publicId: string): Promise<AttachmentWithConversation | null>;
  findMany(publicIds: readonly string[]): Promise<AttachmentRecord[]>;
  /** Uploads of the conversation not yet sent with a message, made after `since`. */
  countUnattached(conversationId: number, since: string): Promise<number>;
  /**
   * Gives these uploads of the conversation to the message, each only if it has none yet;
   * answers those it changed, so a caller racing another sees fewer than it asked for.
   */
  attach(
    conversationId: number,
    messageId: number,
    publicIds: readonly string[],
  ): Promise<AttachmentRecord[]>;
  /** The attachments of these messages, in upload order. */
  listForMessages(messageIds: readonly number[]): Promise<AttachmentRecord[]>;
  /**
   * Deletes up to `limit` uploads never attached and made before `before`; answers their store
   * keys. Each row is deleted by one caller only, so instances sweeping at once share the work.
   */
  deleteUnattached(before: string, limit: number): Promise<string[]>;
}

interface AttachmentTable {
  id: Generated<number>;
  public_id: string;
  conversation_id: number;
  message_id: number | null;
  uploaded_by: string;
  name: string;
  content_type: string;
  size: number;
  store_key: string | null;
  refused_reason: string | null;
  created_at: string;
}

// A type alias: Kysely's `withTables` wants an index-signature-compatible type.
type AttachmentTables = { helper_attachments: AttachmentTable };

/** 18 random bytes, like conversation ids: unguessable and safe in URLs. */
const newPublicId = () => `a_${randomBytes(18).toString('base64url')}`;

const toRecord = (row: Selectable<AttachmentTable>): AttachmentRecord => ({
  id: Number(row.id),
  publicId: row.public_id,
  conversationId: Number(row.conversation_id),
  messageId: row.message_id === null ? null : Number(row.message_id),
  uploadedBy: row.uploaded_by as AttachmentUploader,
  name: row.name,
  contentType: row.content_type,
  size: Number(row.size),
  storeKey: row.store_key,
  refusedReason: row.refused_reason as AttachmentRefusal | null,
  createdAt: row.created_at,
});

/** The default attachment storage: the `helper_attachments` table (migration 007-attachments). */
export class KyselyAttachmentStorage implements AttachmentStorage {
  constructor(private readonly database: SqlDatabase) {}

  private db() {
    return this.database.executor().withTables<AttachmentTables>();
  }

  async create(input: NewAttachment): Promise<AttachmentRecord> {
    const row = await this.db()
      .insertInto('helper_attachments')
      .values({
        public_id: newPublicId(),
        conversation_id: input.conversationId,
        message_id: input.messageId,
        uploaded_by: input.uploadedBy,
        name: input.name,
        content_type: input.contentType,
        size: input.size,
        store_key: input.storeKey,
        refused_reason: input.refusedReason,
        created_at: input.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async find(publicId: string): Promise<AttachmentWithConversation | null> {
    const row = await this.db()
      .selectFrom('helper_attachments as a')
      .innerJoin('helper_conversations as c', 'c.id', 'a.conversation_id')
      .innerJoin('helper_mailboxes as m', 'm.id', 'c.mailbox_id')
      .selectAll('a')
      .select(['c.owner as owner', 'm.slug as mailbox'])
      .where('a.public_id', '=', publicId)
      .executeTakeFirst();
    if (!row) return null;
    const { owner, mailbox, ...attachment } = row;
    return { ...toRecord(attachment), owner, mailbox };
  }

  async findMany(publicIds: readonly string[]): Promise<AttachmentRecord[]> {
    if (publicIds.length === 0) return [];
    const rows = await this.db()
      .selectFrom('helper_attachments')
      .selectAll()
      .where('public_id', 'in', [...publicIds])
      .execute();
    return rows.map(toRecord);
  }

  async countUnattached(conversationId: number, since: string): Promise<number> {
    const row = await this.db()
      .selectFrom('helper_attachments')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('conversation_id', '=', conversationId)
      .where('message_id', 'is', null)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async attach(
    conversationId: number,
    messageId: number,
    publicIds: readonly string[],
  ): Promise<AttachmentRecord[]> {
    if (publicIds.length === 0) return [];
    const rows = await this.db()
      .updateTable('helper_attachments')
      .set({ message_id: messageId })
      .where('conversation_id', '=', conversationId)
      .where('message_id', 'is', null)
      .where('public_id', 'in', [...publicIds])
      .returningAll()
      .execute();
    return rows.map(toRecord).sort((a, b) => a.id - b.id);
  }

  async listForMessages(messageIds: readonly number[]): Promise<AttachmentRecord[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db()
      .selectFrom('helper_attachments')
      .selectAll()
      .where('message_id', 'in', [...messageIds])
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toRecord);
  }

  async deleteUnattached(before: string, limit: number): Promise<string[]> {
    const rows = await this.db()
      .deleteFrom('helper_attachments')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('helper_attachments')
          .select('id')
          .where('message_id', 'is', null)
          .where('created_at', '<', before)
          .limit(limit),
      )
      .where('message_id', 'is', null)
      .returning('store_key')
      .execute();
    return rows.flatMap((row) => (row.store_key === null ? [] : [row.store_key]));
  }
}
