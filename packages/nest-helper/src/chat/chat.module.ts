import { Module } from '@nestjs/common';
import { AttachmentDownloadController } from '../attachments/attachment-download.controller.js';
import { AttachmentAccessGuard } from '../attachments/attachment-access.guard.js';
import { attachmentProviders } from '../attachments/attachment.providers.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { CustomerAttachmentsController } from '../attachments/customer-attachments.controller.js';
import { StaffAttachmentsController } from '../attachments/staff-attachments.controller.js';
import { registerRoutedModule } from '../http/routed-modules.js';
import {
  CHAT_OPTIONS_TYPE,
  ConfigurableChatModule,
  type HelperChatModuleOptions,
} from './chat.module-definition.js';
import { ConversationsService } from './conversations.service.js';
import { CustomerConversationsController } from './customer.controller.js';
import { EventsService } from './events.service.js';
import { MessageRateLimitGuard } from './message-rate-limit.guard.js';
import { StaffConversationsController } from './staff.controller.js';

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
    CustomerAttachmentsController,
    StaffAttachmentsController,
    AttachmentDownloadController,
  ],
  providers: [
    ConversationsService,
    EventsService,
    MessageRateLimitGuard,
    AttachmentAccessGuard,
    ...attachmentProviders,
  ],
  exports: [ConversationsService, EventsService, AttachmentsService],
})
export class HelperChatModule extends ConfigurableChatModule {
  static override forRoot(options: typeof CHAT_OPTIONS_TYPE = {}) {
    return super.forRoot(options);
  }
}

export type { HelperChatModuleOptions };

registerRoutedModule(HelperChatModule);
