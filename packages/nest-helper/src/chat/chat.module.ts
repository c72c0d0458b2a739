import { Module } from '@nestjs/common';
import { AttachmentDownloadController } from '../attachments/attachment-download.controller.js';
import { AttachmentAccessGuard } from '../attachments/attachment-access.guard.js';
import { attachmentProviders } from '../attachments/attachment.providers.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { CustomerAttachmentsController } from '../attachments/customer-attachments.controller.js';
import { StaffAttachmentsController } from '../attachments/staff-attachments.controller.js';
import { registerRoutedModule } from '../http/routed-modules.js';
import type { SqlDatabase } from '../storage/sql-database.js';
import { HELPER_DATABASE } from '../storage/storage.tokens.js';
import {
  CHAT_OPTIONS_TYPE,
  ConfigurableChatModule,
  type HelperChatModuleOptions,
} from './chat.module-definition.js';
import { HELPER_RATING_STORAGE, HELPER_READ_STATE_STORAGE } from './chat.tokens.js';
import { ConversationsService } from './conversations.service.js';
import { CustomerActivityController } from './customer-activity.controller.js';
import { CustomerConversationsController } from './customer.controller.js';
import { HELPER_CUSTOMER_READ_STATE, StoredCustomerReadState } from './customer-read-state.js';
import { EventsService } from './events.service.js';
import { StreamHeartbeat } from './stream-heartbeat.js';
import { MessageRateLimitGuard } from './message-rate-limit.guard.js';
import { KyselyRatingStorage } from './rating.storage.js';
import { RatingService } from './rating.service.js';
import { KyselyReadStateStorage, type ReadStateStorage } from './read-state.storage.js';
import { ReadStateService } from './read-state.service.js';
import { StaffActivityController } from './staff-activity.controller.js';
import { StaffConversationsController } from './staff.controller.js';
import { TypingService } from './typing.service.js';

/**
 * The live chat, opt-in next to `HelperModule`: the customers' and staff's conversations, their
 * files, event streams and the email-to-chat link. Its routes live under HelperModule's route prefix.
 *
 * @example
 * ＠Module({ imports: [HelperModule.forRoot({ … }), HelperChatModule.forRoot()] })
 */
@Module({
  controllers: [
    CustomerConversationsController,
    StaffConversationsController,
    CustomerActivityController,
    StaffActivityController,
    CustomerAttachmentsController,
    StaffAttachmentsController,
    AttachmentDownloadController,
  ],
  providers: [
    ConversationsService,
    EventsService,
    StreamHeartbeat,
    MessageRateLimitGuard,
    ReadStateService,
    RatingService,
    TypingService,
    AttachmentAccessGuard,
    ...attachmentProviders,
    // The chat's own stores; a host replaces them with Nest's overrideProvider (docs/http-api.md, "Read state, typing, rating").
    {
      provide: HELPER_READ_STATE_STORAGE,
      useFactory: (database: SqlDatabase) => new KyselyReadStateStorage(database),
      inject: [HELPER_DATABASE],
    },
    {
      provide: HELPER_RATING_STORAGE,
      useFactory: (database: SqlDatabase) => new KyselyRatingStorage(database),
      inject: [HELPER_DATABASE],
    },
    {
      provide: HELPER_CUSTOMER_READ_STATE,
      useFactory: (marks: ReadStateStorage, database: SqlDatabase) =>
        new StoredCustomerReadState(marks, database),
      inject: [HELPER_READ_STATE_STORAGE, HELPER_DATABASE],
    },
  ],
  exports: [ConversationsService, EventsService, AttachmentsService, HELPER_CUSTOMER_READ_STATE],
})
export class HelperChatModule extends ConfigurableChatModule {
  static override forRoot(options: typeof CHAT_OPTIONS_TYPE = {}) {
    return super.forRoot(options);
  }
}

export type { HelperChatModuleOptions };

registerRoutedModule(HelperChatModule);
