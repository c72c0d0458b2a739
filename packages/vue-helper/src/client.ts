import {
  isPlainObject,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { ANONYMOUS_TOKEN_KEY } from './anonymous-token-key.js';
import type { HelperError, HelperIdentity } from './types.js';

/** The session body: Helper's field names, and the mailbox and signed-metadata fields. */
export type SessionRequest = WidgetSessionRequest & { mailbox?: string; metadataHash?: string };

/** A failure before it is attributed to a step (`kind`) by the store. */
export type Failure = Omit<HelperError, 'kind'>;

/** Requests never throw: a network error or an error answer comes back as a failure. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const fail = (code: string, message: string): { ok: false; failure: Failure } => ({
  ok: false,
  failure: { code, message },
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

/** What went wrong, from whatever was thrown. */
export const reasonOf = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

const readJson = (response: Response): Promise<unknown> => response.json().catch(() => undefined);

/**
 * An error answer's failure (of fetch or of an upload), keeping the server's `{ statusCode, code,
 * message, fields? }`.
 */
export function failureOf(body: unknown, statusCode: number): Failure {
  const { code, message } =
    isPlainObject(body) && typeof body.code === 'string' && typeof body.message === 'string'
      ? (body as Pick<Failure, 'code' | 'message'>)
      : { code: 'http_error', message: `The helperkit server answered HTTP ${statusCode}.` };
  return {
    code,
    message,
    statusCode,
    ...(isPlainObject(body) && Array.isArray(body.fields) && { fields: body.fields }),
  };
}

async function readFailure(response: Response): Promise<{ ok: false; failure: Failure }> {
  const failure = failureOf(await readJson(response), response.status);
  // A 429 says how many seconds to wait (an HTTP date is ignored).
  const retryAfter = Number(response.headers.get('retry-after') || NaN);
  return { ok: false, failure: { ...failure, ...(retryAfter >= 0 && { retryAfter }) } };
}

/** Requests to the helperkit Nest module, each answered as an {@link Outcome}. */
export function createTransport(apiBase: string) {
  const base = apiBase.replace(/\/+$/, '');

  async function request(path: string, init: RequestInit): Promise<Outcome<Response>> {
    try {
      const response = await fetch(`${base}${path}`, init);
      return response.ok ? { ok: true, value: response } : readFailure(response);
    } catch (cause) {
      return fail('network_error', `Could not reach ${base}${path}: ${reasonOf(cause)}`);
    }
  }

  /**
   * A JSON request: a GET, or a POST of `body`; with the session's `token` when it needs one.
   * Every endpoint but the host's identity and the typing notice goes through here. An answer of
   * another shape (a proxy's error page, another API) is `invalid_response`, not a crash later.
   */
  async function json<T>(
    path: string,
    isExpected: (body: unknown) => body is T,
    signal: AbortSignal,
    body?: object,
    token?: string,
  ): Promise<Outcome<T>> {
    const outcome = await request(path, {
      method: body ? 'POST' : 'GET',
      headers: {
        accept: 'application/json',
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body && { 'content-type': 'application/json' }),
      },
      body: body && JSON.stringify(body),
      signal,
    });
    if (!outcome.ok) return outcome;
    const answer = await readJson(outcome.value);
    return isExpected(answer)
      ? { ok: true, value: answer }
      : fail('invalid_response', `The answer to ${path} is not a helperkit server's.`);
  }

  return { base, request, json };
}

export type Transport = ReturnType<typeof createTransport>;

/** The widget session and identity endpoints. */
export function createClient(transport: Transport) {
  return {
    startSession(
      body: SessionRequest,
      signal: AbortSignal,
    ): Promise<Outcome<WidgetSessionResponse>> {
      return transport.json('/widget/session', isSessionResponse, signal, body);
    },

    /** The host's signing middleware answers 200 with the identity, or 204 for nobody. */
    async fetchIdentity(signal: AbortSignal): Promise<Outcome<HelperIdentity | null>> {
      const outcome = await transport.request('/widget/identity', {
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
        : fail(
            'invalid_response',
            // The host's own middleware answered: only its developer needs the details.
            process.env.NODE_ENV !== 'production'
              ? 'The identity answer is not { email, timestamp, emailHash }.'
              : 'invalid_response',
          );
    },
  };
}

export type HelperClient = ReturnType<typeof createClient>;

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
