import {
  isPlainObject,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
} from '@helperkit/core';
import type { HelperError, HelperIdentity } from './types.js';

/** A failure before it is attributed to a step (`kind`) by the store. */
export type Failure = Omit<HelperError, 'kind'>;

/** Requests never throw: a network error or an error answer comes back as a failure. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

const fail = (
  code: string,
  message: string,
  statusCode?: number,
): { ok: false; failure: Failure } => ({
  ok: false,
  failure: statusCode === undefined ? { code, message } : { code, message, statusCode },
});

const isSessionResponse = (body: unknown): body is WidgetSessionResponse =>
  isPlainObject(body) &&
  typeof body.token === 'string' &&
  typeof body.showWidget === 'boolean' &&
  typeof body.title === 'string' &&
  typeof body.expiresAt === 'string';

const isIdentity = (body: unknown): body is HelperIdentity =>
  isPlainObject(body) &&
  typeof body.email === 'string' &&
  typeof body.timestamp === 'number' &&
  typeof body.emailHash === 'string';

const readJson = (response: Response): Promise<unknown> => response.json().catch(() => undefined);

/** Turns an error answer into a failure, keeping the server's `{ statusCode, code, message, fields? }`. */
async function readFailure(response: Response): Promise<{ ok: false; failure: Failure }> {
  const body = await readJson(response);
  if (isPlainObject(body) && typeof body.code === 'string' && typeof body.message === 'string') {
    const failed = fail(body.code, body.message, response.status);
    if (Array.isArray(body.fields))
      return { ok: false, failure: { ...failed.failure, fields: body.fields } };
    return failed;
  }
  return fail(
    'http_error',
    `The helperkit server answered HTTP ${response.status}.`,
    response.status,
  );
}

/** HTTP to the helperkit Nest module (SPEC 11). */
export function createClient(apiBase: string) {
  const base = apiBase.replace(/\/+$/, '');

  async function request(path: string, init: RequestInit): Promise<Outcome<Response>> {
    try {
      const response = await fetch(`${base}${path}`, init);
      return response.ok ? { ok: true, value: response } : readFailure(response);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      return fail('network_error', `Could not reach ${base}${path}: ${reason}`);
    }
  }

  return {
    async startSession(
      body: WidgetSessionRequest,
      signal: AbortSignal,
    ): Promise<Outcome<WidgetSessionResponse>> {
      const outcome = await request('/widget/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
      if (!outcome.ok) return outcome;
      const session = await readJson(outcome.value);
      return isSessionResponse(session)
        ? { ok: true, value: session }
        : fail('invalid_response', 'The session answer is not a helperkit session.');
    },

    /** The host's signing middleware answers 200 with the identity, or 204 for nobody. */
    async fetchIdentity(signal: AbortSignal): Promise<Outcome<HelperIdentity | null>> {
      const outcome = await request('/widget/identity', {
        headers: { accept: 'application/json' },
        // The host's login cookie must go along; it never leaves the host's own origin.
        credentials: 'same-origin',
        signal,
      });
      if (!outcome.ok) return outcome;
      if (outcome.value.status === 204) return { ok: true, value: null };
      const identity = await readJson(outcome.value);
      return isIdentity(identity)
        ? { ok: true, value: identity }
        : fail('invalid_response', 'The identity answer is not { email, timestamp, emailHash }.');
    },
  };
}

export type HelperClient = ReturnType<typeof createClient>;

export const ANONYMOUS_TOKEN_KEY = 'helperkit:anonymous-token';

/**
 * The anonymous visitor's token, kept across reloads so their conversations stay theirs. Storage
 * can be missing or refuse writes (privacy modes, quotas): the visitor then starts over next time.
 */
export const anonymousTokenStorage = {
  load(): string | undefined {
    try {
      return localStorage.getItem(ANONYMOUS_TOKEN_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  },
  save(token: string): void {
    try {
      localStorage.setItem(ANONYMOUS_TOKEN_KEY, token);
    } catch {
      // Kept in memory only.
    }
  },
  clear(): void {
    try {
      localStorage.removeItem(ANONYMOUS_TOKEN_KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
  },
};
