import { accept, refuse, type FieldRule } from './errors.js';
import { characterCount } from './text.js';

export const MESSAGE_MAX_LENGTH = 10_000;
export const CLIENT_ID_MAX_LENGTH = 128;

// Line breaks and tabs belong in a message; every other control character is refused.
const FORBIDDEN_IN_MESSAGES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const CLIENT_ID = /^[A-Za-z0-9_.:-]+$/;

/**
 * A chat message: plain text of 1 to 10,000 characters after trimming, line breaks kept (CRLF
 * becomes LF). It is rendered as text, never as HTML, wherever it is shown.
 */
export const messageBodyRule: FieldRule<string> = (value) => {
  if (typeof value !== 'string') return refuse('wrong_type', 'body must be a string.');
  const body = value.replace(/\r\n?/g, '\n').trim();
  if (FORBIDDEN_IN_MESSAGES.test(body)) {
    return refuse(
      'control_characters',
      'body must not contain control characters other than line breaks and tabs.',
    );
  }
  if (body.length === 0) return refuse('too_short', 'body must not be empty.');
  if (body.length > MESSAGE_MAX_LENGTH && characterCount(body) > MESSAGE_MAX_LENGTH) {
    return refuse('too_long', `body must have at most ${MESSAGE_MAX_LENGTH} characters.`);
  }
  return accept(body);
};

/** A client-generated id that makes a retried send idempotent, e.g. a UUID. */
export const clientIdRule: FieldRule<string> = (value) => {
  if (typeof value !== 'string') return refuse('wrong_type', 'clientId must be a string.');
  if (value.length === 0) return refuse('too_short', 'clientId must not be empty.');
  if (value.length > CLIENT_ID_MAX_LENGTH) {
    return refuse('too_long', `clientId must have at most ${CLIENT_ID_MAX_LENGTH} characters.`);
  }
  if (!CLIENT_ID.test(value)) {
    return refuse(
      'invalid_choice',
      'clientId may contain only letters, digits, "_", ".", ":" and "-".',
    );
  }
  return accept(value);
};
