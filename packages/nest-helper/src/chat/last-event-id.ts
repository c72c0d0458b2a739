import { validationFailed } from '../errors.js';

/**
 * Where a reconnecting stream resumes: the `Last-Event-ID` header that EventSource sends, or a
 * `lastEventId` query parameter for clients that cannot set headers. `null` for a new stream.
 */
export function parseLastEventId(header: string | undefined, query: unknown): number | null {
  const raw = header ?? (typeof query === 'string' ? query : undefined);
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,15}$/.test(raw)) {
    throw validationFailed([
      { field: 'Last-Event-ID', code: 'wrong_type', message: 'Last-Event-ID must be an event id.' },
    ]);
  }
  return Number(raw);
}
