import type { EmailDelivery } from '@helperkit/core';
import { Injectable } from '@nestjs/common';
import type { StaffMessageDetails } from '../chat/staff-message-details.js';
import { InjectEmailStorage } from '../storage/storage.tokens.js';
import type { EmailStorage } from './email.storage.js';
import { skipReasonText } from './skip-reasons.js';

/** How each message that came by email was answered, with the reason in words, for staff. */
@Injectable()
export class EmailDeliveries implements StaffMessageDetails {
  constructor(@InjectEmailStorage() private readonly emails: EmailStorage) {}

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
