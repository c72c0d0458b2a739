import EmailReplyParser from 'email-reply-parser';

const parser = new EmailReplyParser();
// The reply sits at the top; the parser's regular expressions never see more than this of a
// long message (the chat keeps far less anyway).
const MAX_PARSED_LENGTH = 100_000;

/**
 * What the customer wrote in an email that answers one of ours: the quoted thread (Gmail's
 * "On … wrote:", Outlook's "From: … Sent:" block, "> " lines) and the signature go. When nothing
 * would be left (an answer written inside the quote), the whole text is kept: losing the message
 * is worse than showing a quote.
 */
export function withoutQuote(text: string): string {
  const head = text.slice(0, MAX_PARSED_LENGTH);
  const reply = parser.parseReply(head);
  return reply.trim() === '' ? head : reply;
}
