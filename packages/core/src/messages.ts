import { accept, refuse, type FieldRule } from './errors.js';
import { multilineTextRule } from './rules.js';

export const MESSAGE_MAX_LENGTH = 10_000;
export const CLIENT_ID_MAX_LENGTH = 128;

const CLIENT_ID = /^[A-Za-z0-9_.:-]+$/;

/**
 * A chat message: plain text of 1 to 10,000 characters after trimming, line breaks kept (CRLF
 * becomes LF). It is rendered as text, never as HTML, wherever it is shown.
 */
// Pure: a bundle that takes only MESSAGE_MAX_LENGTH (the widget) leaves the rule and its helpers out.
export const messageBodyRule: FieldRule<string> = /* @__PURE__ */ multilineTextRule('body', {
  allowEmpty: false,
  max: MESSAGE_MAX_LENGTH,
});

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
