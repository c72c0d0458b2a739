// The mail catcher's answer, shared by the server and the web app (which imports the type only).

/** A message the catcher received, as the mail catcher page shows it. */
export interface CaughtMail {
  id: number;
  receivedAt: string;
  /** SMTP envelope: `MAIL FROM` (empty for an auto-reply's null sender) and `RCPT TO`. */
  envelope: { from: string; to: string[] };
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  autoSubmitted: string | null;
  /** The plain-text body; render it as text, never as HTML. */
  text: string;
  /** The message's `http:`/`https:` links (e.g. the chat link of an auto-reply). */
  links: string[];
}
