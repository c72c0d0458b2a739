import type { SqlDatabase } from '../storage/sql-database.js';

/**
 * Where the bytes of attachments live, by key. The default keeps them in the database, so every
 * application instance reads what another stored; a host may keep them in a directory or S3
 * instead with `HelperModule.forRoot({ storage: { attachments } })` (docs/storage.md,
 * "Attachments"). Keys are made by helperkit: random, URL-safe, at most 200 characters.
 */
export interface AttachmentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Deleting a key that holds nothing is not an error. */
  delete(key: string): Promise<void>;
}

interface AttachmentFileTable {
  store_key: string;
  bytes: Buffer | Uint8Array | ArrayBuffer;
  created_at: string;
}

// A type alias: Kysely's `withTables` wants an index-signature-compatible type.
type AttachmentFileTables = { helper_attachment_files: AttachmentFileTable };

/** The default store: the `helper_attachment_files` table (migration 007-attachments). */
export class KyselyAttachmentStore implements AttachmentStore {
  constructor(private readonly database: SqlDatabase) {}

  private db() {
    return this.database.executor().withTables<AttachmentFileTables>();
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    await this.db()
      .insertInto('helper_attachment_files')
      .values({ store_key: key, bytes, created_at: new Date().toISOString() })
      .execute();
  }

  async get(key: string): Promise<Buffer | null> {
    const row = await this.db()
      .selectFrom('helper_attachment_files')
      .select('bytes')
      .where('store_key', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    // libsql answers an ArrayBuffer, PostgreSQL a Buffer.
    const { bytes } = row;
    return bytes instanceof ArrayBuffer
      ? Buffer.from(bytes)
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async delete(key: string): Promise<void> {
    await this.db().deleteFrom('helper_attachment_files').where('store_key', '=', key).execute();
  }
}
