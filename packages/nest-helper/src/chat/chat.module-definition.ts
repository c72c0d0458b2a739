import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HelperAttachmentOptions } from '../attachments/attachment.options.js';
import { HELPER_CHAT_MODULE_OPTIONS } from './chat.tokens.js';

/** Options of `HelperChatModule.forRoot` (docs/options.md, "HelperChatModule"). */
export interface HelperChatModuleOptions {
  /** Files in conversations: size and type limits. */
  attachments?: HelperAttachmentOptions;
}

export const {
  ConfigurableModuleClass: ConfigurableChatModule,
  OPTIONS_TYPE: CHAT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CHAT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HelperChatModuleOptions>({
  optionsInjectionToken: HELPER_CHAT_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  // Global, like HelperModule: the email module continues its conversations.
  .setExtras({}, (definition) => ({ ...definition, global: true }))
  .build();

export type HelperChatModuleAsyncOptions = typeof CHAT_ASYNC_OPTIONS_TYPE;
