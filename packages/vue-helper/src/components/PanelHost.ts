import type { WidgetSessionResponse } from '@helperkit/core';
import { computed, defineComponent, h, vShow, withDirectives, type SlotsType } from 'vue';
import type { HelperStatus } from '../types.js';
import { useHelper } from '../useHelper.js';
import ChatPanel from './ChatPanel.vue';

/**
 * The chat panel inside the widget, from the panel's chunk, so that the launcher's HelperWidget
 * only names it. Once opened, the panel stays mounted (hidden), so the chat inside keeps its state
 * when closed.
 */
export default defineComponent({
  name: 'HelperPanelHost',
  props: { id: { type: String, required: true }, title: { type: String, required: true } },
  slots: Object as SlotsType<{
    default?: (props: { session: WidgetSessionResponse | null; status: HelperStatus }) => unknown;
  }>,
  setup(props, { slots }) {
    const { isOpen, session, status, close } = useHelper();
    const opened = computed((was?: boolean) => was || isOpen.value);
    return () => {
      if (!opened.value) return null;
      const body = slots.default;
      return withDirectives(
        h(
          ChatPanel,
          { id: props.id, title: props.title, open: isOpen.value, onClose: close },
          body && { default: () => body({ session: session.value, status: status.value }) },
        ),
        [[vShow, isOpen.value]],
      );
    };
  },
});
