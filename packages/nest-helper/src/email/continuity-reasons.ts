// Why a continuity email did not go out, as staff see it on the reply (docs/http-api.md).

/** The customer read the reply (or answered) before the email was due. */
export const READ = 'read';
/** A continuity email of this conversation went out within the hour. */
export const RECENT_EMAIL = 'recent-email';
/** The mailbox's automatic emails of the hour are used up (`maxAutoRepliesPerHour`). */
export const BUDGET = 'reply-budget';
/** `email.continuity` was switched off after the email was queued. */
export const SWITCHED_OFF = 'continuity-off';
/** A newer staff reply queued one email that carries this one too. */
export const REPLACED = 'replaced';
