import { Inject } from '@nestjs/common';
import type { SqlDatabase } from '../storage/sql-database.js';
import type { ReadStateStorage } from './read-state.storage.js';

/**
 * Whether the customer has seen a staff reply: the continuity email is not sent for a reply they
 * have read (docs/email.md, "Continuity"). Provided under `HELPER_CUSTOMER_READ_STATE`; a host or
 * the read-state feature may replace it.
 */
export interface CustomerReadState {
  /** True when the customer has read the conversation up to `messageId` (internal ids). */
  hasCustomerRead(conversationId: number, messageId: number): Promise<boolean>;
}

export const HELPER_CUSTOMER_READ_STATE = 'HELPER_CUSTOMER_READ_STATE';

export const InjectCustomerReadState = (): ParameterDecorator => Inject(HELPER_CUSTOMER_READ_STATE);

/**
 * The default: the customer's stored read mark (`POST /conversations/:id/read`, which the widget
 * sends when it shows the messages) covers the reply, or the customer wrote in the conversation
 * after it (they answer in the panel that shows it, even from a client that sends no read marks).
 */
export class StoredCustomerReadState implements CustomerReadState {
  constructor(
    private readonly marks: ReadStateStorage,
    private readonly database: SqlDatabase,
  ) {}

  async hasCustomerRead(conversationId: number, messageId: number): Promise<boolean> {
    const mark = (await this.marks.lastReadIds([conversationId], 'customer')).get(conversationId);
    if (mark !== undefined && mark >= messageId) return true;
    const later = await this.database
      .executor()
      .selectFrom('helper_messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('author', '=', 'customer')
      .where('id', '>', messageId)
      .limit(1)
      .executeTakeFirst();
    return later !== undefined;
  }
}
