import type { EmailDelivery } from '@helperkit/core';
import { Injectable } from '@nestjs/common';
import type { ContinuityDelivery, StaffMessageDetails } from '../chat/staff-message-details.js';
import { InjectEmailStorage } from '../storage/storage.tokens.js';
import { ContinuityStorage } from './continuity.storage.js';
import type { EmailStorage } from './email.storage.js';
import { skipReasonText } from './skip-reasons.js';

/**
 * For staff: how each message that came by email was answered (the reason in words), and how each
 * staff reply went out by email.
 */
@Injectable()
export class EmailDeliveries implements StaffMessageDetails {
  constructor(
    @InjectEmailStorage() private readonly emails: EmailStorage,
    private readonly continuity: ContinuityStorage,
  ) {}

  continuityEmails(messageIds: readonly number[]): Promise<Map<number, ContinuityDelivery>> {
    return this.continuity.deliveries(messageIds);
  }

  async emailDeliveries(messageIds: readonly number[]): Promise<Map<number, EmailDelivery>> {
    const answers = await this.emails.deliveries(messageIds);
    return new Map(
      [...answers].map(([id, answer]) => [
        id,
        { ...answer, skipReasonText: skipReasonText(answer.skipReason) },
      ]),
    );
  }
}
