import type { ApiErrorBody, WidgetSessionRequest, WidgetSessionResponse } from '@helperkit/core';
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h, type VNodeChild } from 'vue';
import { vi } from 'vitest';
import {
  createHelper,
  HelperWidget,
  useHelper,
  type Helper,
  type HelperIdentity,
  type HelperOptions,
  type HelperStatus,
} from '../src/index.js';
import { fakeChat } from './fake-chat.js';

type BodySlot = (props: {
  session: WidgetSessionResponse | null;
  status: HelperStatus;
}) => VNodeChild;

export const API = '/helper';
export const HOUR = 60 * 60_000;

export const ANN: HelperIdentity = {
  email: 'ann@example.com',
  timestamp: 1_767_225_600_000,
  emailHash: 'a'.repeat(64),
};

export interface RecordedRequest {
  method: string;
  /** With the query, e.g. `/conversations/conv-1/messages?before=4`. */
  path: string;
  body: Record<string, unknown> | undefined;
  credentials: RequestCredentials | undefined;
  authorization: string | undefined;
}

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

export const apiError = (body: ApiErrorBody) => json(body.statusCode, body);

/**
 * A stubbed `fetch` (and `EventSource`) that answers like the helperkit Nest module and records
 * every request. Nobody is logged in unless a test changes `identity`.
 */
export function fakeServer() {
  let issued = 0;
  const issuedTokens: string[] = [];
  const expiredTokens = new Set<string>();
  const server = {
    /** Conversations, messages and the event stream: see fake-chat.ts. */
    chat: fakeChat((token) => token !== '' && !expiredTokens.has(token)),
    /** Every token issued so far stops being accepted (401 `session_expired`). */
    expireSessions: () => issuedTokens.forEach((token) => expiredTokens.add(token)),
    /** Runs before the routes: a test answers a request its own way by returning a Response. */
    intercept: (_request: RecordedRequest): Response | Promise<Response> | undefined => undefined,
    requests: [] as RecordedRequest[],
    showWidget: true,
    title: 'Support',
    lifetimeMs: 12 * HOUR,
    identity: (): Response | Promise<Response> => new Response(null, { status: 204 }),
    session: (body: WidgetSessionRequest): Response | Promise<Response> => {
      const answer: WidgetSessionResponse = {
        token: `${body.email === undefined ? 'anonymous' : 'customer'}-token-${++issued}`,
        showWidget: server.showWidget,
        title: server.title,
        customer: body.email === undefined ? null : { name: body.customerMetadata?.name ?? null },
        expiresAt: new Date(Date.now() + server.lifetimeMs).toISOString(),
      };
      issuedTokens.push(answer.token);
      return json(200, answer);
    },
    sessionRequests: () =>
      server.requests
        .filter((request) => request.path === '/widget/session')
        .map((r) => r.body as WidgetSessionRequest | undefined),
    /** The requests to the conversations endpoints, as `METHOD path`. */
    chatRequests: () =>
      server.requests
        .filter((request) => request.path.startsWith('/conversations'))
        .map((r) => `${r.method} ${r.path}`),
    fetch: vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const method = init.method ?? 'GET';
      const body =
        typeof init.body === 'string'
          ? (JSON.parse(init.body) as Record<string, unknown>)
          : undefined;
      const path = url.startsWith(API) ? url.slice(API.length) : url;
      const authorization = new Headers(init.headers).get('authorization') ?? undefined;
      const request = { method, path, body, credentials: init.credentials, authorization };
      server.requests.push(request);
      const intercepted = await server.intercept(request);
      if (intercepted) return intercepted;
      if (method === 'GET' && path === '/widget/identity') return server.identity();
      if (method === 'POST' && path === '/widget/session') return server.session(body ?? {});
      return (
        server.chat.handle(method, path, body, authorization) ??
        apiError({ statusCode: 404, code: 'not_found', message: `No route ${method} ${url}` })
      );
    }),
  };
  vi.stubGlobal('fetch', server.fetch);
  vi.stubGlobal('EventSource', server.chat.EventSource);
  return server;
}

/** Lets every pending request, answer and re-render finish. */
export async function settle() {
  for (let round = 0; round < 5; round++) {
    await flushPromises();
    // The panel and the catalogues are chunks of their own, loaded with import().
    await vi.dynamicImportSettled();
  }
}

/** Mounts a page with `<HelperWidget>` and hands back what `useHelper()` gives a component. */
export async function mountHelper(options: Partial<HelperOptions> = {}, slot?: BodySlot) {
  let helper: Helper | undefined;
  const Page = defineComponent({
    setup() {
      helper = useHelper();
      return () => h(HelperWidget, null, slot === undefined ? undefined : { default: slot });
    },
  });
  const wrapper = mount(Page, {
    global: { plugins: [createHelper({ apiBase: API, ...options })] },
    attachTo: document.body,
  });
  await settle();
  return { wrapper, helper: helper! };
}

export const toggleButton = () =>
  document.querySelector<HTMLButtonElement>('[data-helper-toggle-button]');

export const panel = () => document.querySelector<HTMLElement>('[role="dialog"]');

/** The panel as a user meets it: present and not hidden. */
export const panelIsVisible = () => {
  const dialog = panel();
  return dialog !== null && dialog.style.display !== 'none';
};

/** The composer, found by its label as a screen reader user would. */
export const composer = () => {
  const label = [...document.querySelectorAll('label')].find((l) => l.textContent === 'Message');
  return label
    ? document.querySelector<HTMLTextAreaElement>(`#${CSS.escape(label.htmlFor)}`)
    : null;
};

/** Types into the composer and presses Enter (with the given modifiers); answers the keydown. */
export async function write(text: string, enter: KeyboardEventInit = {}) {
  const field = composer()!;
  field.value = text;
  field.dispatchEvent(new Event('input'));
  const keydown = new KeyboardEvent('keydown', {
    key: 'Enter',
    bubbles: true,
    cancelable: true,
    ...enter,
  });
  field.dispatchEvent(keydown);
  await settle();
  return keydown;
}

/** An element's text as a screen reader reads it: without what is `aria-hidden`. */
const spokenText = (element: Element) => {
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return copy.textContent!.replace(/\s+/g, ' ').trim();
};

/** A button (or another element) by its text. */
export const byText = (text: string, selector = 'button') =>
  [...document.querySelectorAll<HTMLElement>(selector)].find(
    (element) => spokenText(element) === text,
  ) ?? null;

export async function click(text: string) {
  const button = byText(text);
  if (!button) throw new Error(`No button "${text}" in: ${document.body.textContent}`);
  button.click();
  await settle();
}

export const messageLog = () => document.querySelector<HTMLElement>('[role="log"]');

/** The messages as shown: their text, and what is said under them ("Sending…", "Not sent: …"). */
export const shownMessages = () =>
  [...(messageLog()?.querySelectorAll('.helperkit-message') ?? [])].map((element) => ({
    text: element.querySelector('.helperkit-text')!.textContent,
    status: [...element.querySelector('.helperkit-meta')!.children]
      .map((part) => part.textContent!.trim())
      .join(' '),
  }));

export const shownTexts = () => shownMessages().map((message) => message.text);

/** Opens the panel and waits for what it loads. */
export async function openChat(helper: Helper) {
  helper.open();
  await settle();
}

/** Opens the panel on a conversation, as `useHelper().openConversation(id)` does, once loaded. */
export async function showConversation(helper: Helper, id: string) {
  helper.openConversation(id);
  await settle();
}
