import { defineComponent, h, ref, useId } from 'vue';
import { useChat, useHelperStore } from '../useHelper.js';
import { statusLine } from './render.js';

/** The server's limit on a rating's comment. */
const COMMENT_MAX_LENGTH = 1000;

type Rating = 'good' | 'bad';

/**
 * Rating a closed conversation: good or bad, and an optional comment. A render function rather
 * than a template: it is the smaller output (docs/widget.md#size).
 */
// Props typed by the setup function's signature (see MessageList.ts).
export default defineComponent(
  (props: { conversationId: string }) => {
    const { ratings, rate } = useChat();
    const { t } = useHelperStore().locale;
    const id = `helperkit-${useId()}`;
    const choice = ref<Rating | null>(null);
    const comment = ref('');
    const sending = ref(false);
    const problem = ref<string | null>(null);

    async function submit(event: Event) {
      event.preventDefault();
      if (choice.value === null) {
        problem.value = t('ratingChoose');
        return;
      }
      sending.value = true;
      const failure = await rate(choice.value, comment.value);
      sending.value = false;
      problem.value = failure?.message ?? null;
    }

    const option = (value: Rating, label: string) =>
      h('label', { class: 'helperkit-choice' }, [
        h('input', {
          type: 'radio',
          name: id,
          value,
          checked: choice.value === value,
          onChange: () => {
            choice.value = value;
            problem.value = null;
          },
        }),
        ` ${label}`,
      ]);

    return () =>
      ratings.has(props.conversationId)
        ? statusLine('status', t('ratingThanks'))
        : h(
            'form',
            { class: 'helperkit-rating', 'aria-labelledby': `${id}-legend`, onSubmit: submit },
            [
              h('fieldset', { class: 'helperkit-choices' }, [
                h('legend', { id: `${id}-legend` }, t('ratingQuestion')),
                option('good', t('ratingGood')),
                option('bad', t('ratingBad')),
              ]),
              h('label', { for: `${id}-comment` }, t('ratingComment')),
              h('textarea', {
                id: `${id}-comment`,
                class: 'helperkit-input',
                rows: '2',
                maxlength: COMMENT_MAX_LENGTH,
                value: comment.value,
                onInput: (event: Event) =>
                  (comment.value = (event.target as HTMLTextAreaElement).value),
              }),
              h(
                'button',
                { type: 'submit', class: 'helperkit-button', disabled: sending.value },
                t('ratingSend'),
              ),
              problem.value !== null &&
                h('p', { class: 'helperkit-problem', role: 'alert' }, problem.value),
            ],
          );
  },
  {
    // Devtools' and warnings' name; production builds leave it out (docs/widget.md#size).
    ...(process.env.NODE_ENV !== 'production' && { name: 'HelperRatingForm' }),
    // eslint-disable-next-line vue/require-prop-types -- typed by the setup function's signature
    props: ['conversationId'],
  },
);
