// @vitest-environment node
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { describe, expect, it, vi } from 'vitest';
import { createHelper, HelperWidget, useHelper } from '../src/index.js';
import { ANN } from './harness.js';

describe('server-side rendering', () => {
  it('renders without touching window, storage or the network', async () => {
    // Any use of window or document would throw here: this environment has no DOM.
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const fetch = vi.fn();
    const storage = { getItem: vi.fn(), setItem: vi.fn(), removeItem: vi.fn() };
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('localStorage', storage);

    const Page = defineComponent({
      setup() {
        const helper = useHelper();
        return () =>
          h('main', [
            h('h1', `${helper.title.value}: ${helper.status.value}`),
            h('button', { 'data-helper-toggle': '' }, 'Contact support'),
            h(HelperWidget),
          ]);
      },
    });
    const app = createSSRApp(Page).use(
      createHelper({ apiBase: '/helper', metadata: { value: 1 } }),
    );
    const html = await renderToString(app);
    // A host calling these while rendering on the server only changes what the browser will do.
    await app.runWithContext(() => useHelper().identify(ANN));
    await app.runWithContext(() => useHelper().reset());

    expect(html).toContain('<h1>Support: idle</h1>');
    expect(html).toContain('Contact support');
    // The widget renders only once mounted in the browser, so hydration always matches.
    expect(html).not.toContain('data-helper-toggle-button');
    expect(html).not.toContain('role="dialog"');
    expect(fetch).not.toHaveBeenCalled();
    expect(Object.values(storage).every((method) => method.mock.calls.length === 0)).toBe(true);
  });
});
