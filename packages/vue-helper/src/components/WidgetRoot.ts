import type { WidgetSessionResponse } from '@helperkit/core';
import {
  computed,
  defineComponent,
  h,
  onMounted,
  ref,
  Teleport,
  useId,
  vShow,
  withDirectives,
  type SlotsType,
} from 'vue';
import type { HelperStatus } from '../types.js';
import { useHelper, useHelperStore } from '../useHelper.js';
import ChatPanel from './ChatPanel.js';

// The icons: a speech bubble while closed, a chevron while open.
const BUBBLE = 'M5 3h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-1-2V5a2 2 0 0 1 2-2z';
const CHEVRON = 'M6 9l6 6 6-6';

/**
 * What `<HelperWidget>` shows once the panel's chunk is there: the floating toggle button, and the
 * panel. A render function rather than a template: it is the smaller output. Focus moving in and
 * out of the panel is the panel's own work (ChatPanel.ts).
 */
export default defineComponent({
  // Devtools' and warnings' name; production builds leave it out (docs/widget.md#size).
  ...(process.env.NODE_ENV !== 'production' && { name: 'HelperWidgetRoot' }),
  slots: Object as SlotsType<{
    default?: (props: { session: WidgetSessionResponse | null; status: HelperStatus }) => unknown;
  }>,
  setup(_props, { slots }) {
    const { isOpen, showToggleButton, title, unreadCount, toggle, close, session, status } =
      useHelper();
    const { locale, ready, theme, internals } = useHelperStore();
    const panelId = `helperkit-${useId()}`;

    // Rendered only once mounted: the server renders nothing, so hydration always matches, and
    // all the widget shows depends on the browser (session, storage, address bar) anyway.
    const mounted = ref(false);
    onMounted(() => (mounted.value = true));
    // Once opened, the panel stays mounted (hidden), so the chat inside keeps its state when closed.
    const opened = computed((was?: boolean) => was || isOpen.value);
    const body = (props: { session: WidgetSessionResponse | null; status: HelperStatus }) =>
      slots.default?.(props);

    // One name whether open or closed: `aria-expanded` says which. The count follows a comma, not
    // in parentheses: label-in-name checks drop parentheticals, and the badge shows the count.
    const label = computed(() => {
      const name = locale.t('toggle', { title: title.value });
      const unread = unreadCount.value;
      return unread > 0 ? `${name}, ${locale.t('unread', { count: unread })}` : name;
    });

    const toggleButton = () => {
      const unread = unreadCount.value;
      const open = isOpen.value;
      return h(
        'button',
        {
          type: 'button',
          class: 'helperkit-toggle',
          'data-helper-toggle-button': '',
          'aria-label': label.value,
          'aria-expanded': open,
          'aria-controls': panelId,
          onClick: () => toggle(),
        },
        [
          h(
            'svg',
            {
              'aria-hidden': 'true',
              viewBox: '0 0 24 24',
              width: open ? 24 : 26,
              height: open ? 24 : 26,
            },
            h(
              'path',
              open
                ? {
                    d: CHEVRON,
                    fill: 'none',
                    stroke: 'currentColor',
                    'stroke-width': 2.5,
                    'stroke-linecap': 'round',
                  }
                : { d: BUBBLE, fill: 'currentColor' },
            ),
          ),
          // The count is in the accessible name already.
          unread > 0 &&
            h(
              'span',
              { class: 'helperkit-badge helperkit-toggle-badge', 'aria-hidden': 'true' },
              unread > 99 ? '99+' : unread,
            ),
        ],
      );
    };

    // Teleported to <body>: position: fixed stays fixed even inside a transformed ancestor.
    return () =>
      mounted.value &&
      ready.value &&
      h(Teleport, { to: 'body' }, [
        h(
          'div',
          {
            class: ['helperkit', showToggleButton.value && 'helperkit--with-toggle'],
            lang: locale.tag,
            dir: locale.dir,
            'data-helper-theme': theme.value,
            'data-helper-position': internals.checked.position,
          },
          [
            showToggleButton.value && toggleButton(),
            opened.value &&
              withDirectives(
                h(
                  ChatPanel,
                  { id: panelId, title: title.value, open: isOpen.value, onClose: close },
                  slots.default && {
                    default: () => body({ session: session.value, status: status.value }),
                  },
                ),
                [[vShow, isOpen.value]],
              ),
          ],
        ),
      ]);
  },
});
