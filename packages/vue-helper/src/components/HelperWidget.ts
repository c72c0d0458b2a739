import type { WidgetSessionResponse } from '@helperkit/core';
import { defineComponent, h, inject, type SlotsType } from 'vue';
import { storeKey } from '../injection-keys.js';
import type { HelperStatus } from '../types.js';
import { useHelper } from '../useHelper.js';
// The launcher's stylesheet: Vite emits it as dist/style.css (`@helperkit/vue/style.css`). An
// import here rather than in index.ts, which would land in index.d.ts.
import '../style.css';

/**
 * The widget, as the host places it. What it shows (the floating button and the panel, see
 * WidgetRoot.ts) comes with the panel's chunk, so until that chunk is there it renders nothing:
 * the launcher stays small, and the server renders nothing either, so hydration always matches.
 * See docs/widget.md#size.
 */
export default defineComponent({
  name: 'HelperWidget',
  /** Replaces the built-in chat in the panel's body; it gets the session to talk to the server with. */
  slots: Object as SlotsType<{
    default?: (props: { session: WidgetSessionResponse | null; status: HelperStatus }) => unknown;
  }>,
  setup(_props, { slots }) {
    useHelper(); // says how to fix a page without the plugin
    const { panel } = inject(storeKey)!;
    return () => panel.value && h(panel.value.WidgetRoot, null, slots);
  },
});
