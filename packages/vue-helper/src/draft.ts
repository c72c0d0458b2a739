/** The conversation that the first message will start (shared by the launcher and the chat). */
export const DRAFT = '';
