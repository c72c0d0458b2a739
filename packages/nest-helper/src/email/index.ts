// The inbound-email and auto-reply building blocks (SPEC 7); the service and controller use them.
export * from './adapters/index.js';
export {
  composeAutoReply,
  escapeHtml,
  replySubject,
  threadReferences,
  MAX_SUBJECT_LENGTH,
  type AutoReplyInput,
} from './auto-reply.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RATE_WINDOW_MS,
  DEFAULT_RETRY_DELAY_MS,
  resolveEmailOptions,
  type HelperEmailOptions,
  type ResolvedEmailOptions,
} from './email.options.js';
export {
  ChatLinkTokens,
  CHAT_LINK_TTL_MS,
  type ChatLinkClaims,
  type ChatLinkVerification,
} from './link-token.js';
export { parseMessage, type InboundMessage } from './parse.js';
export * from './skip-rules.js';
