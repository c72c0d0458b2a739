import { Module } from '@nestjs/common';
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
 * event streams and the email-to-chat link. Its routes live under HelperModule's route prefix.
 *
 * @example
 * ＠Module({ imports: [HelperModule.forRoot({ … }), HelperChatModule.forRoot()] })
 */
@Module({
  controllers: [CustomerConversationsController, StaffConversationsController],
  providers: [ConversationsService, EventsService, MessageRateLimitGuard],
  exports: [ConversationsService, EventsService],
})
export class HelperChatModule extends ConfigurableChatModule {
  static override forRoot(options: typeof CHAT_OPTIONS_TYPE = {}) {
    return super.forRoot(options);
  }
}

export type { HelperChatModuleOptions };

registerRoutedModule(HelperChatModule);
