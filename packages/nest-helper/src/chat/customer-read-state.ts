import { Inject } from '@nestjs/common';
import type { SqlDatabase } from '../storage/sql-database.js';

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
 * The default: a customer who wrote in the conversation after the reply has seen it (they answer
 * in the panel that shows it). Without stored read markers, nothing else proves a reply was read.
 */
export class MessagesReadState implements CustomerReadState {
  constructor(private readonly database: SqlDatabase) {}

  async hasCustomerRead(conversationId: number, messageId: number): Promise<boolean> {
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
