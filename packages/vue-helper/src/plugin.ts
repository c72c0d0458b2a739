import type { App, Plugin } from 'vue';
import HelperWidget from './components/HelperWidget.js';
import { checkOptions } from './options.js';
import { helperKey, storeKey } from './injection-keys.js';
import { createHelperStore } from './state.js';
import type { HelperOptions } from './types.js';

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
