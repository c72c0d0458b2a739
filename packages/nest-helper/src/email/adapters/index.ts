export { rawAdapter } from './raw.js';
export { sendgridAdapter } from './sendgrid.js';
export {
  mailgunAdapter,
  mailgunMimeAdapter,
  verifyMailgunSignature,
  MAILGUN_TIMESTAMP_TOLERANCE_MS,
} from './mailgun.js';
export { postmarkAdapter, composePostmarkMessage, type PostmarkInbound } from './postmark.js';
export type {
  AdapterOptions,
  InboundAdapter,
  InboundRaw,
  InboundRequest,
} from './inbound-request.js';
export { finalRefusals } from './final-refusals.js';
