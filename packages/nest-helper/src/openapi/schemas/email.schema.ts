import { SKIP_REASONS } from '../../email/skip-reasons.js';
import type { InboundAnswer } from '../../email/inbound-email.service.js';
import { ApiField, ApiOptionalField } from '../fields.js';

/** The answer of the inbound email routes once the message is stored. */
export class InboundAnswerSchema implements InboundAnswer {
  @ApiField({ description: 'The conversation the message joined or started.' })
  conversationId!: string;

  @ApiField({ type: Boolean, description: 'True when this message was received before.' })
  duplicate!: boolean;

  @ApiField({ enum: ['sent', 'queued', 'skipped'] })
  autoReply!: InboundAnswer['autoReply'];

  @ApiOptionalField({ enum: [...SKIP_REASONS], description: 'Why no auto-reply was sent.' })
  skipReason?: string;
}
