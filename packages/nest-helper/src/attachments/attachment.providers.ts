import type { Provider } from '@nestjs/common';
import type { HelperChatModuleOptions } from '../chat/chat.module-definition.js';
import { HELPER_CHAT_MODULE_OPTIONS } from '../chat/chat.tokens.js';
import { HELPER_ATTACHMENT_CLOCK } from './attachment-clock.js';
import { AttachmentLinks } from './attachment-links.js';
import { HELPER_ATTACHMENT_OPTIONS, resolveAttachmentOptions } from './attachment.options.js';
import { AttachmentSweeper } from './attachment-sweeper.js';
import { AttachmentsService } from './attachments.service.js';

/** What HelperChatModule provides for attachments. */
export const attachmentProviders: Provider[] = [
  {
    provide: HELPER_ATTACHMENT_OPTIONS,
    useFactory: (options: HelperChatModuleOptions | undefined) =>
      resolveAttachmentOptions(options?.attachments),
    inject: [HELPER_CHAT_MODULE_OPTIONS],
  },
  { provide: HELPER_ATTACHMENT_CLOCK, useValue: Date.now },
  AttachmentLinks,
  AttachmentsService,
  AttachmentSweeper,
];
