import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { HelperHttpError, notFound } from '../errors.js';
import type { ConversationRecord } from '../chat/chat.records.js';
import { InjectAttachmentClock, type AttachmentClock } from './attachment-clock.js';
import { badUpload, tooManyUploads, typeNotAllowed } from './attachment-errors.js';
import { AttachmentLinks, STAFF_VIEWER, viewerTag } from './attachment-links.js';
import { cleanFileName, storedFileName } from './attachment-name.js';
import type { AttachmentStore } from './attachment-store.js';
import type { AttachmentStorage } from './attachment.storage.js';
import { InjectAttachmentOptions, type ResolvedAttachmentOptions } from './attachment.options.js';
import {
  summaryOf,
  type AttachmentRecord,
  type AttachmentRefusal,
  type AttachmentSummary,
  type AttachmentUploader,
  type AttachmentWithConversation,
} from './attachment.records.js';
import { sniffAllowedType } from './attachment-type.js';
import { HELPER_ATTACHMENT_STORAGE, HELPER_ATTACHMENT_STORE } from './attachment.tokens.js';
import type { EmailFile } from './email-files.js';
import { toAttachmentView, type AttachmentView, type Viewer } from './attachment-views.js';

/** A file as it arrived: its bytes, and what its sender said of it. */
export interface IncomingFile {
  bytes: Buffer;
  declaredName: string | null;
  declaredType: string | undefined;
}

/** Who asks for a file: a signed link, a customer's session, or staff of a mailbox. */
export type AttachmentAccess =
  | { kind: 'link'; token: unknown }
  | { kind: 'customer'; mailbox: string; owner: string }
  | { kind: 'staff'; mailbox: string };

/** The files of some messages, as staff see them (customers never see refused parts). */
export interface MessageFiles {
  kept: AttachmentSummary[];
  refused: { name: string; size: number; reason: AttachmentRefusal }[];
}

const SWEEP_BATCH = 200;

/**
 * Files in conversations: uploads checked by their bytes, given to a message once, served only to
 * the conversation's owner and staff, and uploads never sent deleted after a day
 * (docs/http-api.md, "Attachments").
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('HelperChatModule');

  constructor(
    @Inject(HELPER_ATTACHMENT_STORAGE) private readonly storage: AttachmentStorage,
    @Inject(HELPER_ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @InjectAttachmentOptions() private readonly options: ResolvedAttachmentOptions,
    @InjectAttachmentClock() private readonly clock: AttachmentClock,
    private readonly links: AttachmentLinks,
  ) {}

  /** Keeps an upload of the conversation until a message takes it (or a day passes). */
  async upload(
    conversation: ConversationRecord,
    uploadedBy: Exclude<AttachmentUploader, 'email'>,
    file: IncomingFile,
    viewer: Viewer,
  ): Promise<AttachmentView> {
    const waiting = await this.storage.countUnattached(conversation.id, this.unattachedSince());
    if (waiting >= this.options.maxUnattached) throw tooManyUploads(this.options.maxUnattached);
    const type = await sniffAllowedType(file.bytes, file.declaredType, this.options.types);
    if (!type) throw typeNotAllowed();
    const record = await this.keep(conversation, null, uploadedBy, file, type);
    return this.views([summaryOf(record)], viewer)[0]!;
  }

  /**
   * Gives the conversation's uploads to its new message, in the caller's transaction: an id that
   * is unknown, of another conversation, or already sent fails the whole message (400).
   */
  async attach(
    conversation: ConversationRecord,
    messageId: number,
    publicIds: readonly string[],
  ): Promise<AttachmentSummary[]> {
    if (publicIds.length === 0) return [];
    const since = this.unattachedSince();
    const found = new Map(
      (await this.storage.findMany(publicIds)).map((record) => [record.publicId, record]),
    );
    for (const id of publicIds) {
      const record = found.get(id);
      if (!record || record.conversationId !== conversation.id || record.createdAt <= since) {
        throw badUpload(
          'unknown_attachment',
          `The attachment ${id} is not a file uploaded to this conversation.`,
        );
      }
      if (record.messageId !== null) {
        throw badUpload(
          'attachment_already_sent',
          `The attachment ${id} was already sent with another message.`,
        );
      }
    }
    const attached = await this.storage.attach(conversation.id, messageId, publicIds);
    // Another request took one of them in the meantime: this message stores nothing.
    if (attached.length !== publicIds.length) {
      throw badUpload('attachment_already_sent', 'An attachment was sent with another message.');
    }
    const order = new Map(publicIds.map((id, index) => [id, index]));
    return attached.sort((a, b) => order.get(a.publicId)! - order.get(b.publicId)!).map(summaryOf);
  }

  /** How much of each file of an inbound email its parse keeps: the size limit of a file. */
  get emailFileBytes(): number {
    return this.options.maxBytes;
  }

  /**
   * Keeps the files of an inbound email with its message, within the same limits and types as
   * uploads; a part that breaks them is recorded for staff, and the email is stored all the same.
   */
  async keepEmailFiles(
    conversation: ConversationRecord,
    messageId: number,
    files: readonly EmailFile[],
  ): Promise<AttachmentSummary[]> {
    const kept: AttachmentSummary[] = [];
    for (const file of files) {
      const type = await this.refusalOrType(file, kept.length);
      if (typeof type === 'string') {
        await this.storage.create({
          conversationId: conversation.id,
          messageId,
          uploadedBy: 'email',
          name: cleanFileName(file.declaredName),
          contentType: 'application/octet-stream',
          size: file.size,
          storeKey: null,
          refusedReason: type,
          createdAt: new Date(this.clock()).toISOString(),
        });
      } else {
        const part = { ...file, bytes: file.bytes! };
        kept.push(summaryOf(await this.keep(conversation, messageId, 'email', part, type)));
      }
    }
    return kept;
  }

  /** The files of these messages, by message id. */
  async filesOf(messageIds: readonly number[]): Promise<Map<number, MessageFiles>> {
    const files = new Map<number, MessageFiles>();
    for (const record of await this.storage.listForMessages(messageIds)) {
      const entry = files.get(record.messageId!) ?? { kept: [], refused: [] };
      if (record.refusedReason === null) entry.kept.push(summaryOf(record));
      else
        entry.refused.push({ name: record.name, size: record.size, reason: record.refusedReason });
      files.set(record.messageId!, entry);
    }
    return files;
  }

  /** Views with links signed for this viewer. */
  views(summaries: readonly AttachmentSummary[], viewer: Viewer): AttachmentView[] {
    return summaries.map((summary) =>
      toAttachmentView(summary, (grant) => this.links.urlFor(grant), viewer),
    );
  }

  /**
   * A file and its bytes, for someone allowed to read it. Everyone else, and a refused email
   * part, gets 404: the answer never tells whether the file exists (docs/security-model.md).
   */
  async open(publicId: string, access: AttachmentAccess) {
    const record = await this.storage.find(publicId);
    if (!record || record.storeKey === null || !this.mayRead(record, access)) {
      throw notFound('The attachment');
    }
    const bytes = await this.store.get(record.storeKey);
    if (!bytes) throw notFound('The attachment');
    return { record, bytes };
  }

  /**
   * Deletes uploads never sent that are older than the wait allowed, with their bytes. Safe on
   * several instances at once: each row is deleted by one of them, which then deletes its bytes.
   */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const keys = await this.storage.deleteUnattached(this.unattachedSince(), SWEEP_BATCH);
      for (const key of keys) {
        await this.store.delete(key).catch((error: unknown) => {
          // The row is gone, so nothing serves the bytes; the host's store keeps an orphan.
          this.logger.warn(`An expired upload's bytes could not be deleted: ${String(error)}`);
        });
      }
      deleted += keys.length;
      if (keys.length < SWEEP_BATCH) return deleted;
    }
  }

  private mayRead(record: AttachmentWithConversation, access: AttachmentAccess): boolean {
    switch (access.kind) {
      case 'customer':
        return access.mailbox === record.mailbox && access.owner === record.owner;
      case 'staff':
        return access.mailbox === record.mailbox;
      case 'link': {
        const grant = this.links.verify(access.token, record.publicId);
        if (grant === 'expired') throw linkExpired();
        return (
          grant !== 'invalid' &&
          grant.mailbox === record.mailbox &&
          (grant.viewer === STAFF_VIEWER || grant.viewer === viewerTag(record.owner))
        );
      }
    }
  }

  /** Why a file of an email is not kept, or its sniffed type when it is. */
  private async refusalOrType(file: EmailFile, keptSoFar: number) {
    if (file.bytes === null) return 'too_large' as const;
    if (file.bytes.length === 0) return 'empty' as const;
    if (keptSoFar >= this.options.maxPerMessage) return 'too_many' as const;
    return (
      (await sniffAllowedType(file.bytes, file.declaredType, this.options.types)) ??
      ('type_not_allowed' as const)
    );
  }

  private async keep(
    conversation: ConversationRecord,
    messageId: number | null,
    uploadedBy: AttachmentUploader,
    file: IncomingFile,
    type: { contentType: string; extension: string },
  ): Promise<AttachmentRecord> {
    const storeKey = `f_${randomBytes(24).toString('base64url')}`;
    await this.store.put(storeKey, file.bytes);
    try {
      return await this.storage.create({
        conversationId: conversation.id,
        messageId,
        uploadedBy,
        name: storedFileName(file.declaredName, type.extension),
        contentType: type.contentType,
        size: file.bytes.length,
        storeKey,
        refusedReason: null,
        createdAt: new Date(this.clock()).toISOString(),
      });
    } catch (error) {
      await this.store.delete(storeKey).catch(() => undefined);
      throw error;
    }
  }

  /** Uploads made at or before this time waited too long. */
  private unattachedSince(): string {
    return new Date(this.clock() - this.options.unattachedTtlMs).toISOString();
  }
}

const linkExpired = () =>
  new HelperHttpError(
    HttpStatus.GONE,
    'link_expired',
    'This file link has expired: open the conversation again for a fresh one.',
  );
