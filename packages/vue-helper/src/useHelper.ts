import { hasInjectionContext, inject } from 'vue';
import type { ChatStore } from './chat.js';
import { helperKey, storeKey } from './injection-keys.js';
import type { PanelStore } from './attach.js';
import type { Helper } from './types.js';

const SETUP = 'useHelper() must be called inside setup() of a component (or app.runWithContext())';
const INSTALL = 'app.use(createHelper({ apiBase: "/helper" }))';

/**
 * The widget's state and actions; throws an Error that says how to fix a wrong call site (in
 * production builds, only what is wrong: see docs/widget.md#size).
 */
export function useHelper(): Helper {
  if (!hasInjectionContext()) {
    throw new Error(
      process.env.NODE_ENV !== 'production'
        ? `${SETUP}, in an app that called ${INSTALL}.`
        : 'useHelper(): outside setup()',
    );
  }
  const helper = inject(helperKey, null);
  if (helper === null) {
    throw new Error(
      process.env.NODE_ENV !== 'production'
        ? `useHelper() found no helperkit plugin: call ${INSTALL} before mounting the app.`
        : 'useHelper(): no helperkit plugin',
    );
  }
  return helper;
}

/**
 * The widget's own state, for the panel chunk's components, which render only once that chunk has
 * added its part (attach.ts).
 */
export const useHelperStore = (): PanelStore => inject(storeKey) as PanelStore;

/** The chat, for the panel's components (rendered only once the chat is loaded). */
export const useChat = (): ChatStore => useHelperStore().chat.value!;
