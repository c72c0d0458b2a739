import { MESSAGE_MAX_LENGTH, messageBodyRule } from '@helperkit/core';

const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const TRUNCATED = '\n[…]';

/**
 * An email's text as a chat message: control characters dropped, line breaks unified, cut to the
 * chat's limit (the full email stays with the sender), never empty.
 */
export function emailBodyForChat(text: string): string {
  const cleaned = text.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_LINES, '').trim();
  const fitted =
    cleaned.length > MESSAGE_MAX_LENGTH
      ? cleaned.slice(0, MESSAGE_MAX_LENGTH - TRUNCATED.length) + TRUNCATED
      : cleaned;
  const check = messageBodyRule(fitted);
  return check.ok ? check.value : '(This email has no text.)';
}
