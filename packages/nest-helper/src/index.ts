// The core module: identity, session, settings, mailboxes.
export { HelperModule } from './helper.module.js';
export {
  type HelperModuleAsyncOptions,
  type HelperModuleExtras,
  type HelperModuleForRootOptions,
} from './helper.module-definition.js';
export {
  DEFAULT_DATABASE_PATH,
  DEFAULT_MAILBOX,
  HelperConfigurationError,
  type HelperCorsOptions,
  type HelperDatabaseUrl,
  type HelperMailboxOptions,
  type HelperModuleOptions,
  type HostCustomer,
  type ResolveCustomer,
  type ResolvedHelperOptions,
  type ResolvedMailbox,
  type SigningRoute,
} from './helper.options.js';
export {
  HELPER_ADMIN_GUARD,
  HELPER_MODULE_OPTIONS,
  HELPER_RESOLVED_OPTIONS,
  InjectHelperOptions,
  InjectResolvedHelperOptions,
} from './helper.tokens.js';
export { DEFAULT_ROUTE_PREFIX, HELPER_ROUTE_PREFIX } from './http/route-prefix.js';
export { HelperController } from './http/helper-controller.decorator.js';
export { AdminGuard } from './admin.guard.js';
export { HelperExceptionFilter, HelperHttpError } from './errors.js';
export { HelperCustomer } from './identity/helper-customer.decorator.js';
export type { HelperCustomerContext } from './identity/customer-context.js';
export { SigningMiddleware } from './identity/signing.middleware.js';
export { SessionGuard, WidgetSessionParam } from './identity/session.guard.js';
export { SessionTokens, type WidgetSession } from './identity/session-tokens.js';
export { HelperMailboxes, getHelperMailbox } from './mailboxes/mailboxes.service.js';
export { SettingsService } from './settings/settings.service.js';
export * from './storage/storage.tokens.js';
export type { HelperTransactions } from './storage/transactions.js';
export type { HelperStorageOverrides } from './helper.stores.js';
export type { SettingsStorage } from './settings/settings.storage.js';
export type { CustomerRecord, CustomerStorage } from './identity/customer.storage.js';
export type { ConversationStorage } from './chat/conversation.storage.js';
export type { EventStorage } from './chat/event.storage.js';
export type * from './chat/chat.records.js';
export type { EmailStorage, InboundRecord } from './email/email.storage.js';
export type {
  NewOutboxEntry,
  OutboxEntry,
  OutboxKind,
  OutboxOutcome,
  OutboxStorage,
} from './outbox/outbox.storage.js';
export type { OutboxSender } from './outbox/outbox-sender.js';
export { OutboxService } from './outbox/outbox.service.js';
export type { LimitStorage } from './limits/limit.storage.js';
export type { HelperLimits } from './limits/limits.options.js';

// Events: as Nest events (with @nestjs/event-emitter) and as signed webhooks.
export { HelperEventPublisher } from './events/helper-event-publisher.js';
export {
  HELPER_EVENT_NAMES,
  type AnyHelperEvent,
  type HelperEvent,
  type HelperEventConversation,
  type HelperEventDataMap,
  type HelperEventName,
  type HelperEventRating,
} from './events/helper-events.js';
export type { HelperWebhookOptions, ResolvedWebhook } from './webhooks/webhook-options.js';
// OpenAPI (with the optional peer @nestjs/swagger).
export type { HelperOpenApiOptions } from './openapi/openapi.options.js';
export {
  HELPER_INBOUND_BASIC_SECURITY,
  HELPER_INBOUND_BEARER_SECURITY,
  HELPER_SECURITY_SCHEMES,
  HELPER_SESSION_SECURITY,
  addHelperSecurity,
  type HelperSecurityScheme,
} from './openapi/security.js';

// The chat: conversations, events, the email-to-chat link.
export { HelperChatModule } from './chat/chat.module.js';
export {
  type HelperChatModuleAsyncOptions,
  type HelperChatModuleOptions,
} from './chat/chat.module-definition.js';
export {
  HELPER_CHAT_MODULE_OPTIONS,
  HELPER_RATING_STORAGE,
  HELPER_READ_STATE_STORAGE,
} from './chat/chat.tokens.js';
export type { ReadSide, ReadStateStorage } from './chat/read-state.storage.js';
export type { RatingRecord, RatingStorage, RatingValue } from './chat/rating.storage.js';
export { HELPER_CUSTOMER_READ_STATE, type CustomerReadState } from './chat/customer-read-state.js';
export { ConversationsService } from './chat/conversations.service.js';
export { EventsService } from './chat/events.service.js';

// Attachments (part of the chat).
export { AttachmentsService } from './attachments/attachments.service.js';
export type { AttachmentStore } from './attachments/attachment-store.js';
export type { AttachmentStorage } from './attachments/attachment.storage.js';
export type * from './attachments/attachment.records.js';
export {
  DEFAULT_ATTACHMENT_MAX_BYTES,
  DEFAULT_ATTACHMENT_TYPES,
  type HelperAttachmentOptions,
} from './attachments/attachment.options.js';
export {
  HELPER_ATTACHMENT_STORAGE,
  HELPER_ATTACHMENT_STORE,
} from './attachments/attachment.tokens.js';

// Email to chat.
export { HelperEmailModule } from './email/email.module.js';
export { type HelperEmailModuleAsyncOptions } from './email/email.module-definition.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RATE_WINDOW_MS,
  DEFAULT_RETRY_DELAY_MS,
  type HelperEmailOptions,
  type ResolvedEmailOptions,
} from './email/email.options.js';
export { HELPER_EMAIL_MODULE_OPTIONS, HELPER_EMAIL_OPTIONS } from './email/email.tokens.js';
