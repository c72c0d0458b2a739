import { Module } from '@nestjs/common';
import { registerRoutedModule } from '../http/routed-modules.js';
import {
  CHAT_OPTIONS_TYPE,
  ConfigurableChatModule,
  type HelperChatModuleOptions,
} from './chat.module-definition.js';
import { ConversationsService } from './conversations.service.js';
import { CustomerConversationsController } from './customer.controller.js';
import { HELPER_CUSTOMER_READ_STATE, MessagesReadState } from './customer-read-state.js';
import { HELPER_DATABASE } from '../storage/storage.tokens.js';
import type { SqlDatabase } from '../storage/sql-database.js';
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
  providers: [
    ConversationsService,
    EventsService,
    MessageRateLimitGuard,
    {
      provide: HELPER_CUSTOMER_READ_STATE,
      useFactory: (database: SqlDatabase) => new MessagesReadState(database),
      inject: [HELPER_DATABASE],
    },
  ],
  exports: [ConversationsService, EventsService, HELPER_CUSTOMER_READ_STATE],
})
export class HelperChatModule extends ConfigurableChatModule {
  static override forRoot(options: typeof CHAT_OPTIONS_TYPE = {}) {
    return super.forRoot(options);
  }
}

export type { HelperChatModuleOptions };

registerRoutedModule(HelperChatModule);
