import { computed, defineComponent, h, nextTick, ref, watch } from 'vue';
import { DRAFT } from '../chat.js';
import { keepTabInside, useInertPage, useSmallScreen } from '../modal.js';
import { useChat, useHelper, useHelperStore } from '../useHelper.js';
import Composer from './Composer.js';
import ConversationList from './ConversationList.js';
import MessageList from './MessageList.js';
import RatingForm from './RatingForm.js';
import { button, statusLine } from './render.js';

const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';

/** What a view exposes: focus for the reader's next step. */
type Focusable = { focus(): void };

/**
 * The chat panel: its header, and the conversation list or one conversation (or the host's own
 * body). A render function rather than a template: it is the smaller output (docs/widget.md#size).
 */
// Props typed by the setup function's signature (see MessageList.ts).
export default defineComponent(
  (props: { id: string; title: string; open: boolean }, { emit, slots }) => {
    const { status } = useHelper();
    const { t } = useHelperStore().locale;
    const { conversations, listStatus, current, thread, reconnecting, select, supportTyping } =
      useChat();

    const titleId = `${props.id}-title`;
    const dialog = ref<HTMLElement | null>(null);
    const close = () => emit('close');

    // Focus goes into the panel when it opens (or arrives: its chunk loads on first open), and
    // back when it closes, to where it was, or else to the floating button.
    let returnFocusTo: HTMLElement | null = null;
    watch(
      () => props.open,
      async (nowOpen) => {
        const active = document.activeElement;
        if (nowOpen) {
          returnFocusTo = active instanceof HTMLElement && active !== document.body ? active : null;
          await nextTick();
          dialog.value?.focus();
          return;
        }
        // Runs before the panel hides: only focus that was in the panel is handed back, never
        // focus the host page holds (e.g. its own `data-helper-toggle` button).
        const root = dialog.value?.parentElement;
        if (!dialog.value?.contains(active)) return;
        await nextTick();
        // The floating button that opened the panel may have been replaced meanwhile: use the new one.
        if (returnFocusTo?.isConnected) returnFocusTo.focus();
        else root?.querySelector<HTMLElement>('[data-helper-toggle-button]')?.focus();
      },
      { immediate: true },
    );

    // On a small screen the panel covers the page, so it is modal there: the page behind is inert
    // and Tab stays inside. On larger screens the host page stays usable while the chat is open.
    const small = useSmallScreen();
    const modal = computed(() => small.value && props.open);
    useInertPage(dialog, modal);
    function onKeydown(event: KeyboardEvent) {
      if (event.key === 'Escape') close();
      else if (event.key === 'Tab' && modal.value && dialog.value) {
        keepTabInside(event, dialog.value);
      }
    }

    // With no conversation yet, the panel is the composer for the first one.
    const noConversations = computed(
      () => listStatus.value === 'ready' && conversations.value.length === 0,
    );
    const showList = computed(() => current.value === null && !noConversations.value);
    const conversation = computed(() => conversations.value.find((c) => c.id === current.value));

    // Switching views removes the focused button: focus goes where the reader goes next, but
    // never when it is elsewhere (still in the panel, or on the host page).
    const list = ref<Focusable | null>(null);
    const composer = ref<Focusable | null>(null);
    watch(showList, async (listShown) => {
      await nextTick();
      if (document.activeElement !== document.body) return;
      (listShown ? list : composer).value?.focus();
    });

    const conversationView = () => {
      const shown = conversation.value;
      return [
        !noConversations.value &&
          h('div', { class: 'helperkit-bar' }, [
            button('helperkit-link', () => select(null), [
              h('span', { class: 'helperkit-back', 'aria-hidden': 'true' }, '‹'),
              ` ${t('allConversations')}`,
            ]),
            shown?.subject && h('span', { class: 'helperkit-item-title' }, shown.subject),
          ]),
        h(MessageList, { conversationId: current.value ?? DRAFT, thread: thread.value }),
        // Always in the page, so screen readers know the live region before its text appears.
        h(
          'p',
          { class: 'helperkit-typing', 'aria-live': 'polite' },
          supportTyping.value ? t('staffTyping') : '',
        ),
        shown?.status === 'closed' && [
          statusLine(undefined, t('closedNotice')),
          h(RatingForm, { key: shown.id, conversationId: shown.id }),
        ],
        h(Composer, { ref: composer }),
      ];
    };

    const chat = () =>
      status.value !== 'ready'
        ? statusLine('status', t(status.value === 'error' ? 'unavailable' : 'connecting'))
        : [
            reconnecting.value && statusLine('status', t('reconnecting')),
            showList.value ? h(ConversationList, { ref: list }) : conversationView(),
          ];

    return () =>
      h(
        'section',
        {
          id: props.id,
          ref: dialog,
          class: 'helperkit-panel',
          role: 'dialog',
          'aria-modal': modal.value,
          'aria-labelledby': titleId,
          tabindex: '-1',
          onKeydown,
        },
        [
          // A div, not <header>: inside a dialog a <header> would still count as a second banner.
          h('div', { class: 'helperkit-header' }, [
            h('h2', { id: titleId, class: 'helperkit-title' }, props.title),
            h(
              'button',
              {
                type: 'button',
                class: 'helperkit-close',
                'aria-label': t('close', { title: props.title }),
                onClick: close,
              },
              h('svg', { 'aria-hidden': 'true', viewBox: '0 0 24 24', width: 20, height: 20 }, [
                h('path', {
                  fill: 'none',
                  stroke: 'currentColor',
                  'stroke-width': 2,
                  'stroke-linecap': 'round',
                  d: CLOSE_ICON,
                }),
              ]),
            ),
          ]),
          // The host's own body replaces the chat.
          h('div', { class: 'helperkit-body' }, slots.default ? slots.default() : chat()),
        ],
      );
  },
  {
    // Devtools' and warnings' name; production builds leave it out (docs/widget.md#size).
    ...(process.env.NODE_ENV !== 'production' && { name: 'HelperChatPanel' }),
    // eslint-disable-next-line vue/require-prop-types -- typed by the setup function's signature
    props: ['id', 'title', 'open'],
    emits: ['close'],
  },
);
