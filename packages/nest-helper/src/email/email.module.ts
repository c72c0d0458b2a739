import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConversationsService } from '../chat/conversations.service.js';
import { HELPER_STAFF_MESSAGE_DETAILS } from '../chat/staff-message-details.js';
import { HELPER_STAFF_REPLY_LISTENER } from '../chat/staff-reply-listener.js';
import { HELPER_DATABASE } from '../storage/storage.tokens.js';
import type { SqlDatabase } from '../storage/sql-database.js';
import { ContinuityCheck } from './continuity-check.js';
import { ContinuityScheduler } from './continuity-scheduler.js';
import { ContinuityStorage } from './continuity.storage.js';
import { HELPER_EMAIL_PRECONDITION } from './email-precondition.js';
import { EmailDeliveries } from './email-deliveries.js';
import { HelperConfigurationError } from '../configuration-error.js';
import { registerRoutedModule } from '../http/routed-modules.js';
import { ConfigurableEmailModule } from './email.module-definition.js';
import {
  resolveEmailOptions,
  type HelperEmailOptions,
  type ResolvedEmailOptions,
} from './email.options.js';
import {
  HELPER_EMAIL_MODULE_OPTIONS,
  HELPER_EMAIL_OPTIONS,
  InjectEmailOptions,
} from './email.tokens.js';
import { InboundEmailController } from './inbound.controller.js';
import { InboundEmailService } from './inbound-email.service.js';
import { EmailSender } from './email-sender.js';

/**
 * Email to chat, opt-in next to `HelperModule` and `HelperChatModule`: the inbound endpoints, the
 * loop-prevention rules and the auto-reply that invites the sender into the chat. Its routes live
 * under HelperModule's route prefix.
 *
 * @example
 * ＠Module({
 *   imports: [
 *     HelperModule.forRoot({ … }),
 *     HelperChatModule.forRoot(),
 *     HelperEmailModule.forRoot({ address, smtp, inboundSecret }),
 *   ],
 * })
 */
@Module({
  controllers: [InboundEmailController],
  providers: [
    {
      provide: HELPER_EMAIL_OPTIONS,
      useFactory: (options: HelperEmailOptions) => resolveEmailOptions(options),
      inject: [HELPER_EMAIL_MODULE_OPTIONS],
    },
    EmailSender,
    InboundEmailService,
    { provide: HELPER_STAFF_MESSAGE_DETAILS, useClass: EmailDeliveries },
    // Continuity: staff replies the customer has not read, emailed (docs/email.md).
    {
      provide: ContinuityStorage,
      useFactory: (database: SqlDatabase) => new ContinuityStorage(database),
      inject: [HELPER_DATABASE],
    },
    ContinuityCheck,
    { provide: HELPER_EMAIL_PRECONDITION, useExisting: ContinuityCheck },
    { provide: HELPER_STAFF_REPLY_LISTENER, useClass: ContinuityScheduler },
  ],
  exports: [HELPER_EMAIL_OPTIONS, HELPER_STAFF_MESSAGE_DETAILS, HELPER_STAFF_REPLY_LISTENER],
})
export class HelperEmailModule extends ConfigurableEmailModule implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
  ) {
    super();
  }

  /** Email continues conversations in the chat: without the chat module it cannot start. */
  onModuleInit(): void {
    if (
      this.email.senderAuthentication === 'verify' &&
      this.email.trustedAuthServIds.length === 0
    ) {
      new Logger('HelperEmailModule').warn(
        'email.trustedAuthServIds is empty: raw inbound messages (POST …/email/inbound) can never ' +
          "count as authenticated, so none of them gets an auto-reply. Name your MTA's " +
          'authserv-id, or see docs/email-authentication.md.',
      );
    }
    try {
      this.moduleRef.get(ConversationsService, { strict: false });
    } catch {
      throw new HelperConfigurationError(
        'HelperEmailModule needs HelperChatModule: import HelperChatModule.forRoot() next to it.',
      );
    }
  }
}

registerRoutedModule(HelperEmailModule);
