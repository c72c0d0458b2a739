import type { App, InjectionKey, Plugin } from 'vue';
import HelperWidget from './components/HelperWidget.vue';
import type { ChatStore } from './chat.js';
import { createHelperStore } from './state.js';
import type { Helper, HelperOptions } from './types.js';

export const helperKey: InjectionKey<Helper> = Symbol('helperkit');
/** The chat's own state, for the widget's components only. */
export const chatKey: InjectionKey<ChatStore> = Symbol('helperkit-chat');

/** The Vue plugin: `app.use(createHelper({ apiBase: '/helper' }))`. */
export function createHelper(options: HelperOptions): Plugin<[]> {
  // A configuration mistake, not a runtime failure: say what to fix at start-up (SPEC 10).
  if (typeof options?.apiBase !== 'string' || options.apiBase.trim() === '') {
    throw new TypeError(
      'createHelper() needs apiBase, where the helperkit Nest module is mounted, e.g. createHelper({ apiBase: "/helper" }).',
    );
  }
  return {
    install(app: App) {
      // One store per app, so the same plugin object can serve several apps (or SSR requests).
      const store = createHelperStore(options);
      app.provide(helperKey, store.helper);
      app.provide(chatKey, store.chat);
      app.component('HelperWidget', HelperWidget);
      // During SSR nothing starts: no storage, no address bar, no listener, no request.
      if (typeof window === 'undefined') return;
      store.start();
      app.onUnmount(store.dispose);
    },
  };
}

declare module 'vue' {
  export interface GlobalComponents {
    HelperWidget: typeof HelperWidget;
  }
}
