import type { ApiErrorBody, FieldError } from '@helperkit/core';
import { ref } from 'vue';

/** A failed request: the server's `{ statusCode, code, message, fields? }`, or no answer (0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  json?: unknown;
  token?: string;
}

/** A JSON request to the demo server (same origin, so the login cookie goes along). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The demo server does not answer. Is it running?');
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return data as T;
  // helperkit's errors, and Nest's own (whose message may be a list).
  const body = (data ?? {}) as Partial<ApiErrorBody> & { message?: string | string[] };
  const message = Array.isArray(body.message)
    ? body.message.join(' ')
    : (body.message ?? `The server answered ${response.status}.`);
  throw new ApiError(response.status, body.code ?? 'error', message, body.fields ?? []);
}

const TOKEN_KEY = 'helperkit-demo:staff-token';

/** The support staff's bearer token, once known (the dashboard, the inbox, the mail catcher). */
export const staffToken = ref<string | null>(sessionStorage.getItem(TOKEN_KEY));

export function setStaffToken(token: string | null): void {
  staffToken.value = token;
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/**
 * Asks the demo server for the staff token, which it hands out to this machine only (a demo
 * shortcut for a staff login). Answers whether a token is now known.
 */
export async function fetchStaffToken(): Promise<boolean> {
  if (staffToken.value !== null) return true;
  try {
    const { token } = await request<{ token: string }>('/demo/staff-token');
    setStaffToken(token);
    return true;
  } catch {
    return false;
  }
}

/** A request as support staff; a refused token is forgotten, so the page asks for another. */
export async function staffRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await request<T>(path, { ...options, token: staffToken.value ?? '' });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) setStaffToken(null);
    throw error;
  }
}

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const MAILBOX_KEY = 'helperkit-demo:mailbox';

/** The demo's two mailboxes: support (the default) and sales, with its own secret and address. */
export const MAILBOXES = [
  { slug: 'default', label: 'Support' },
  { slug: 'sales', label: 'Sales' },
] as const;

/** The mailbox the dashboard and the inbox act on. */
export const mailbox = ref<string>(sessionStorage.getItem(MAILBOX_KEY) ?? 'default');

export function setMailbox(slug: string): void {
  mailbox.value = slug;
  sessionStorage.setItem(MAILBOX_KEY, slug);
}

/** A staff path in the chosen mailbox: `?mailbox=` on the staff routes. */
export const inMailbox = (path: string): string =>
  `${path}${path.includes('?') ? '&' : '?'}mailbox=${encodeURIComponent(mailbox.value)}`;
