import { computed, defineComponent, h, onBeforeUpdate, onMounted, onUpdated, ref } from 'vue';
import type { ChatMessage, Thread } from '../thread.js';
import { useChat, useHelperStore } from '../useHelper.js';
import { chatTime } from './chat-time.js';
import { button, statusLine } from './render.js';

const isImage = (type: string) => /^image\/(png|jpeg|gif|webp)$/.test(type);

/**
 * One conversation's messages, with loading earlier ones and retrying failed ones. A render
 * function rather than a template: it is the smaller output (docs/widget.md#size).
 */
// Props typed by the setup function's signature and named in a list: the shorter output, as
// objects with types only the development build checks (docs/widget.md#size).
export default defineComponent(
  (props: { conversationId: string; thread?: Thread }) => {
    const { loadOlder, loadNewest, retry, fileUrl } = useChat();
    const { locale } = useHelperStore();
    const { t } = locale;

    const notSent = (message: ChatMessage) => {
      const reason = message.error ?? '';
      const wait = message.retryAfter;
      return t('notSent', {
        reason: wait === undefined ? reason : `${reason} ${t('retryAfter', { count: wait })}`,
      });
    };
    const messages = computed(() => props.thread?.messages ?? []);

    // Following the conversation at its end: stay there as messages come. Earlier ones added on
    // top: keep what was in view where it was. Another conversation: start at its end.
    const scroller = ref<HTMLElement | null>(null);
    let fromBottom = 0;
    let shown = { id: '', first: '' };
    const remember = () =>
      (shown = { id: props.conversationId, first: messages.value[0]?.key ?? '' });
    onMounted(() => {
      scroller.value!.scrollTop = scroller.value!.scrollHeight;
      remember();
    });
    onBeforeUpdate(() => {
      const { scrollHeight, scrollTop, clientHeight } = scroller.value!;
      fromBottom = scrollHeight - scrollTop - clientHeight;
    });
    onUpdated(() => {
      const element = scroller.value!;
      if (fromBottom < 48 || shown.id !== props.conversationId) {
        element.scrollTop = element.scrollHeight;
      } else if (shown.first !== (messages.value[0]?.key ?? '')) {
        element.scrollTop = element.scrollHeight - element.clientHeight - fromBottom;
      }
      remember();
    });

    // Text only: a message is plain text, never HTML.
    const message = (m: ChatMessage) =>
      h(
        'div',
        {
          key: m.key,
          class: [
            'helperkit-message',
            `helperkit-message--${m.author}`,
            `helperkit-message--${m.state}`,
          ],
        },
        [
          h('span', { class: 'helperkit-sr' }, t(m.author === 'staff' ? 'staff' : 'you')),
          h('p', { class: 'helperkit-text' }, m.body),
          m.attachments.length > 0 &&
            h(
              'ul',
              { class: 'helperkit-files' },
              m.attachments.map((file) =>
                h('li', { key: file.id, class: 'helperkit-file' }, [
                  // A signed link: an <img> needs no header, and the CSP's img-src allows the API.
                  h(
                    'a',
                    {
                      href: fileUrl(file.url),
                      target: '_blank',
                      rel: 'noopener',
                      download: file.name,
                    },
                    isImage(file.contentType)
                      ? h('img', {
                          src: fileUrl(file.url),
                          alt: file.name,
                          class: 'helperkit-image',
                        })
                      : h('span', { class: 'helperkit-file-name' }, file.name),
                  ),
                ]),
              ),
            ),
          h('p', { class: 'helperkit-meta' }, [
            m.state === 'sending'
              ? h('span', t('sending'))
              : m.state === 'failed'
                ? [
                    h('span', { class: 'helperkit-problem' }, notSent(m)),
                    button('helperkit-link', () => retry(m), t('retry')),
                  ]
                : chatTime(locale.tag, m.createdAt),
            m.origin === 'email' && h('span', `· ${t('byEmail')}`),
          ]),
        ],
      );

    return () => {
      const { thread, conversationId: id } = props;
      return h(
        'div',
        // Focusable, so that keyboard users can scroll a long conversation too.
        {
          ref: scroller,
          class: 'helperkit-messages',
          role: 'region',
          'aria-label': t('conversation'),
          tabindex: '0',
        },
        [
          thread &&
            thread.nextBefore !== null &&
            button('helperkit-link', () => loadOlder(id), t('loadEarlier'), thread.loadingEarlier),
          thread?.status === 'loading'
            ? statusLine('status', t('loadingMessages'))
            : thread?.status === 'error'
              ? statusLine('alert', [
                  `${thread.error} `,
                  button('helperkit-link', () => loadNewest(id), t('tryAgain')),
                ])
              : messages.value.length === 0 && statusLine(undefined, t('noMessages')),
          // Always there, so that screen readers announce what is added to it.
          h(
            'div',
            {
              class: 'helperkit-log',
              role: 'log',
              'aria-live': 'polite',
              'aria-label': t('messages'),
            },
            messages.value.map(message),
          ),
        ],
      );
    };
  },
  {
    // Devtools' and warnings' name; production builds leave it out (docs/widget.md#size).
    ...(process.env.NODE_ENV !== 'production' && { name: 'HelperMessageList' }),
    // eslint-disable-next-line vue/require-prop-types -- typed by the setup function's signature
    props: ['conversationId', 'thread'],
  },
);
