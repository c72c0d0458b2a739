// Inbound sender authentication: pure functions, no I/O. See docs/email-authentication.md.
export {
  authenticateSender,
  type SenderAuthentication,
  type SenderAuthenticationInput,
} from './authenticate-sender.js';
export {
  parseAuthenticationResults,
  type AuthenticationResults,
  type AuthResult,
} from './authentication-results.js';
export { isAligned } from './domains.js';
export type { HeaderLine } from './header-lines.js';
export { mailgunVerdicts } from './providers/mailgun.js';
export { postmarkVerdicts } from './providers/postmark.js';
export { sendgridVerdicts } from './providers/sendgrid.js';
export { parseReceivedSpf, type ReceivedSpf } from './received-spf.js';
export type { AuthMethod, ProviderVerdicts, Verdict } from './verdicts.js';
