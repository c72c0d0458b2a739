// Starts and stops the real widget for <LiveWidget>, exactly as a host application starts it:
// a Vue app with `createHelper(options)` and `<HelperWidget>`. It is an app of its own, next to
// the site's, because the widget's options are given once, at start: another language or theme
// means starting it again, which the site's own app could not do without a reload.
import type { Helper, HelperOptions } from '@helperkit/vue';
import { createApp, defineComponent, h, watch } from 'vue';

export interface LiveWidget {
  /** `useHelper()` of the running widget. */
  helper: Helper;
  stop(): void;
}

/** The options a reader can switch on the page; everything else is the widget's default. */
export type LiveOptions = Required<Pick<HelperOptions, 'apiBase' | 'theme' | 'position'>> &
  Pick<HelperOptions, 'locale'>;

/**
 * Whether `apiBase` is on the page's origin. Only then can the host's signing middleware
 * (`GET <apiBase>/widget/identity`) answer: it never answers other origins, so a server elsewhere
 * gets an anonymous visitor.
 */
function sameOrigin(apiBase: string): boolean {
  return new URL(apiBase, window.location.href).origin === window.location.origin;
}

/** Loads the widget (in the browser only) and starts it with `options`. */
export async function startLiveWidget(options: LiveOptions): Promise<LiveWidget> {
  const { createHelper, HelperWidget, useHelper } = await import('@helperkit/vue');
  let helper: Helper | undefined;
  const Root = defineComponent({
    setup() {
      helper = useHelper();
      return () => h(HelperWidget);
    },
  });
  const element = document.createElement('div');
  element.dataset.liveWidgetApp = '';
  document.body.append(element);
  const app = createApp(Root).use(
    createHelper({ ...options, ...(sameOrigin(options.apiBase) ? {} : { identity: null }) }),
  );
  app.mount(element);
  if (helper === undefined) throw new Error('The widget did not start.');
  return {
    helper,
    stop() {
      app.unmount();
      element.remove();
    },
  };
}

/**
 * Resolves once the widget's first session answered (`true`) or failed (`false`): a failure
 * before any session means that no helperkit server answers at `apiBase`.
 */
export function firstSession(helper: Helper): Promise<boolean> {
  return new Promise((resolve) => {
    const stop = watch(
      helper.status,
      (status) => {
        if (status !== 'ready' && status !== 'error') return;
        queueMicrotask(() => stop());
        resolve(status === 'ready');
      },
      { immediate: true },
    );
  });
}
