/** The load generator tells its parent that every stream is open... */
export const CONNECTED = 'connected';
/** ...and waits for this answer before it posts the first message. */
export const GO = 'go';
/** With a warm-up, the generator says when its measured part starts (the servers' CPU counts from here). */
export const MEASURING = 'measuring';
