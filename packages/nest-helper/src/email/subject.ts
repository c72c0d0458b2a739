import { cleanSubject } from './auto-reply.js';

/**
 * An email's subject as stored for staff: one line without control characters, cut to 200
 * characters (a 500 kB subject would otherwise travel in every conversation list); null for none.
 */
export const storedSubject = (subject: string): string | null => {
  const line = cleanSubject(subject);
  return line === '' ? null : line;
};
