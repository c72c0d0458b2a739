// The panel's chunk: everything but the launcher (the session, the language, the floating button,
// the chat), loaded when the browser is first idle or when someone wants to chat, and its
// stylesheet. See docs/widget.md#size.
import { attach } from './attach.js';
import WidgetRoot from './components/WidgetRoot.js';

export { attach, WidgetRoot };

/**
 * Links the panel's stylesheet, `panel.css`, and settles once it has loaded (or failed to). The
 * `new URL(..., import.meta.url)` form makes the host's bundler emit the file and write its final
 * address here; linking it from this chunk keeps the bundler's own CSS-loading helper out of the
 * launcher, and a linked file passes a `style-src 'self'` policy where inline styles would not.
 */
let linked: Promise<void> | undefined;

export function linkStylesheet(): Promise<void> {
  // Once per page, however many apps use the widget.
  linked ??= appendLink();
  return linked;
}

function appendLink(): Promise<void> {
  const href = new URL('./panel.css', import.meta.url).href;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  return new Promise((resolve, reject) => {
    link.onload = () => resolve();
    link.onerror = () => {
      // Removed, so that the next attempt links it afresh.
      link.remove();
      linked = undefined;
      reject(new Error(`${href} did not load`));
    };
    document.head.append(link);
  });
}

export interface PanelModule {
  attach: typeof attach;
  WidgetRoot: typeof WidgetRoot;
  linkStylesheet: typeof linkStylesheet;
}
