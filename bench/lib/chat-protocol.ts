/** The load generator tells its parent that every stream is open... */
export const CONNECTED = 'connected';
/** ...and waits for this answer before it posts the first message. */
export const GO = 'go';
