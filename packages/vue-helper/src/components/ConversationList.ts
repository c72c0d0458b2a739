import { defineComponent, h, ref } from 'vue';
import { DRAFT } from '../chat.js';
import { useChat, useHelperStore } from '../useHelper.js';
import { chatTime } from './chat-time.js';
import { button, statusLine } from './render.js';

/** The visitor's conversations, newest activity first, and the button for a new one. */
export default defineComponent({
  // Devtools' and warnings' name; production builds leave it out (docs/widget.md#size).
  ...(process.env.NODE_ENV !== 'production' && { name: 'HelperConversationList' }),
  setup(_props, { expose }) {
    const { conversations, listStatus, listError, unread, select, loadList } = useChat();
    const { locale } = useHelperStore();
    const { t } = locale;
    const root = ref<HTMLElement | null>(null);
    expose({ focus: () => root.value?.querySelector('button')?.focus() });

    const body = () => {
      const status = listStatus.value;
      if (status === 'error')
        return statusLine('alert', [
          `${listError.value} `,
          button('helperkit-link', loadList, t('tryAgain')),
        ]);
      if (status !== 'ready') return statusLine('status', t('loadingConversations'));
      return h(
        'ul',
        { class: 'helperkit-list', 'aria-label': t('conversations') },
        conversations.value.map((c) => {
          const count = unread.get(c.id);
          return h('li', { key: c.id }, [
            button('helperkit-item', () => select(c.id), [
              h(
                'span',
                { class: 'helperkit-item-title' },
                c.subject ?? c.lastMessage?.preview ?? t('newConversation'),
              ),
              c.subject &&
                c.lastMessage &&
                h('span', { class: 'helperkit-item-text' }, c.lastMessage.preview),
              h('span', { class: 'helperkit-meta' }, [
                chatTime(locale.tag, c.lastActivityAt),
                c.status === 'closed' && h('span', `· ${t('closed')}`),
                !!count && h('span', { class: 'helperkit-badge' }, t('newReplies', { count })),
              ]),
            ]),
          ]);
        }),
      );
    };

    return () =>
      h('div', { ref: root, class: 'helperkit-conversations' }, [
        button('helperkit-button', () => select(DRAFT), t('newConversation')),
        body(),
      ]);
  },
});
