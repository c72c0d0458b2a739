/**
 * The conversation that the first message will start (shared by the launcher and the chat). Empty,
 * so falsy like `null` (the list): `if (id)` holds only for a conversation that exists.
 */
export const DRAFT = '';
