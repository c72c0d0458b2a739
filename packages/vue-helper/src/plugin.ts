import type { App, InjectionKey, Plugin } from 'vue';
import HelperWidget from './components/HelperWidget.js';
import { checkOptions } from './options.js';
import { createHelperStore, type HelperStore } from './state.js';
import type { Helper, HelperOptions } from './types.js';

export const helperKey: InjectionKey<Helper> = Symbol('helperkit');
/** The widget's own state (panel, chat, locale), for its components only. */
export const storeKey: InjectionKey<HelperStore> = Symbol('helperkit-store');

/** The Vue plugin: `app.use(createHelper({ apiBase: '/helper' }))`. */
export function createHelper(options: HelperOptions): Plugin<[]> {
  // A configuration mistake fails here, at start-up, with what to fix.
  checkOptions(options);
  return {
    install(app: App) {
      // One store per app, so the same plugin object can serve several apps (or SSR requests).
      const store = createHelperStore(options);
      app.provide(helperKey, store.helper);
      app.provide(storeKey, store);
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
