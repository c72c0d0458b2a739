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
  path: string;
  body: WidgetSessionRequest | undefined;
  credentials: RequestCredentials | undefined;
}

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

export const apiError = (body: ApiErrorBody) => json(body.statusCode, body);

/**
 * A stubbed `fetch` that answers like the helperkit Nest module and records every request.
 * Nobody is logged in unless a test changes `identity`.
 */
export function fakeServer() {
  let issued = 0;
  const server = {
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
      return json(200, answer);
    },
    sessionRequests: () =>
      server.requests.filter((request) => request.path === '/widget/session').map((r) => r.body),
    fetch: vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const method = init.method ?? 'GET';
      const body =
        typeof init.body === 'string' ? (JSON.parse(init.body) as WidgetSessionRequest) : undefined;
      const path = url.startsWith(API) ? url.slice(API.length) : url;
      server.requests.push({ method, path, body, credentials: init.credentials });
      if (method === 'GET' && path === '/widget/identity') return server.identity();
      if (method === 'POST' && path === '/widget/session') return server.session(body ?? {});
      return apiError({ statusCode: 404, code: 'not_found', message: `No route ${method} ${url}` });
    }),
  };
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

/** Lets every pending request, answer and re-render finish. */
export async function settle() {
  for (let round = 0; round < 5; round++) await flushPromises();
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
