import { MESSAGE_MAX_LENGTH, type AttachmentView } from '@helperkit/core';
import { computed, defineComponent, h, onBeforeUnmount, ref, useId, watch } from 'vue';
import type { MessageKey } from '../i18n/types.js';
import { DRAFT } from '../draft.js';
import { useChat, useHelperStore } from '../useHelper.js';

// The server's reasons for refusing a text or a file, in the widget's language; another one is
// shown as the server words it. See docs/widget.md#sending.
const REASONS: Record<string, MessageKey> = {
  too_long: 'tooLong',
  control_characters: 'controlCharacters',
  file_type_not_allowed: 'fileTypeRefused',
  file_too_large: 'fileTooLarge',
  too_many_uploads: 'tooManyFiles',
};

/** The most files one message carries (the server's limit). */
const MAX_FILES = 5;
/** What the server accepts by default; it checks the bytes whatever the picker offered. */
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain';

interface PendingFile {
  key: number;
  name: string;
  /** A `blob:` address of an image, shown as its thumbnail. */
  thumbnail: string | null;
  progress: number;
  uploaded: AttachmentView | null;
  error: string | null;
}

/** Pasted or dropped images are attached; pasted text stays the textarea's. */
const imagesOf = (transfer: DataTransfer | null): File[] =>
  [...(transfer?.files ?? [])].filter((file) => file.type.startsWith('image/'));

/**
 * The message field, with the files a message carries. A render function rather than a template:
 * it is the smaller output (docs/widget.md#size).
 */
export default defineComponent({
  // Devtools' and warnings' name; production builds leave it out (docs/widget.md#size).
  ...(process.env.NODE_ENV !== 'production' && { name: 'HelperComposer' }),
  setup(_props, { expose }) {
    const chat = useChat();
    const { send, current, typing, refused } = chat;
    const { prompt, locale } = useHelperStore();
    const { t } = locale;
    const id = `helperkit-${useId()}`;
    const text = ref('');
    const problem = ref<string | null>(null);
    const field = ref<HTMLTextAreaElement | null>(null);
    const picker = ref<HTMLInputElement | null>(null);
    expose({ focus: () => field.value?.focus() });

    // `open({ prompt })` fills the field of the new conversation; the visitor still decides to send.
    watch(
      prompt,
      (given) => {
        if (given === null) return;
        text.value = given;
        prompt.value = null;
      },
      { immediate: true },
    );

    /** The server's reason in the widget's language when it is one of REASONS. */
    const shownReason = ({ code, message }: { code: string; message: string }) => {
      const key = REASONS[code];
      return key ? t(key, { max: MESSAGE_MAX_LENGTH }) : message;
    };

    // A text the server refused comes back to its conversation's field, to be fixed, before
    // anything written since.
    watch(
      () => refused.get(current.value ?? DRAFT),
      (back) => {
        if (!back) return;
        refused.delete(current.value ?? DRAFT);
        text.value = text.value ? `${back.body}\n${text.value}` : back.body;
        problem.value = shownReason(back.field);
      },
      { immediate: true },
    );

    let lastKey = 0;
    const files = ref<PendingFile[]>([]);
    // Files go to a conversation: a new one gets its first message first.
    const canAttach = computed(() => !!current.value); // not the list, nor the draft
    const uploading = computed(() => files.value.some((file) => !file.uploaded && !file.error));

    function forget(file: PendingFile) {
      if (file.thumbnail) URL.revokeObjectURL(file.thumbnail);
      files.value = files.value.filter((other) => other.key !== file.key);
    }

    async function attach(list: Iterable<File>) {
      for (const file of list) {
        if (files.value.length >= MAX_FILES) break;
        const pending: PendingFile = {
          key: ++lastKey,
          name: file.name,
          thumbnail: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
          progress: 0,
          uploaded: null,
          error: null,
        };
        files.value = [...files.value, pending];
        // The reactive copy, so that progress shows.
        const shown = files.value.at(-1)!;
        const outcome = await chat.upload(file, (fraction) => (shown.progress = fraction));
        if (outcome?.ok) shown.uploaded = outcome.value;
        else if (outcome) {
          shown.error = t('fileRefused', {
            name: file.name,
            reason: shownReason(outcome.failure),
          });
        }
      }
    }

    function onPick() {
      void attach(picker.value?.files ?? []);
      if (picker.value) picker.value.value = '';
    }

    function onPaste(event: ClipboardEvent) {
      const images = imagesOf(event.clipboardData);
      if (!canAttach.value || images.length === 0) return;
      event.preventDefault();
      void attach(images);
    }

    function onDrop(event: DragEvent) {
      event.preventDefault();
      if (canAttach.value) void attach(imagesOf(event.dataTransfer));
    }

    /** Blank text stays with a hint; other text goes, and the field empties. */
    function submit(event?: Event) {
      event?.preventDefault();
      if (uploading.value) return;
      const ready = files.value.flatMap((file) => (file.uploaded ? [file.uploaded] : []));
      // Files alone are sent with their names as the text.
      const body = text.value.trim() || ready.map((f) => f.name).join(', ');
      if (!body) {
        problem.value = t('emptyMessage');
        return;
      }
      send(body, ready);
      text.value = '';
      files.value.forEach(forget);
    }

    function onInput(event: Event) {
      text.value = (event.target as HTMLTextAreaElement).value;
      problem.value = null;
      // Support sees "typing…" while there is text (throttled in the chat store).
      if (text.value.trim() !== '') typing();
    }

    onBeforeUnmount(() => files.value.forEach(forget));

    function onKeydown(event: KeyboardEvent) {
      // Shift+Enter is a new line. An Enter that confirms an IME composition only confirms it
      // (Safari reports that one as keyCode 229 with isComposing already false).
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229)
        return;
      submit(event);
    }

    const fileItem = (file: PendingFile) =>
      h('li', { key: file.key, class: 'helperkit-file' }, [
        file.thumbnail && h('img', { src: file.thumbnail, alt: '', class: 'helperkit-thumb' }),
        h('span', { class: 'helperkit-file-name' }, file.name),
        !file.uploaded &&
          !file.error &&
          h('progress', {
            value: file.progress,
            max: '1',
            'aria-label': t('uploading', { name: file.name }),
          }),
        file.error && h('span', { class: 'helperkit-problem', role: 'alert' }, file.error),
        h(
          'button',
          {
            type: 'button',
            class: 'helperkit-link',
            'aria-label': t('removeFile', { name: file.name }),
            onClick: () => forget(file),
          },
          ' × ',
        ),
      ]);

    return () => {
      const shownProblem = problem.value;
      const failed = shownProblem !== null;
      return h(
        'form',
        {
          class: 'helperkit-composer',
          onSubmit: submit,
          onDragover: (event: DragEvent) => event.preventDefault(),
          onDrop,
        },
        [
          h('label', { for: id, class: 'helperkit-sr' }, t('message')),
          h('textarea', {
            id,
            ref: field,
            class: 'helperkit-input',
            rows: '2',
            // The browser keeps typed and pasted text within the server's limit.
            maxlength: MESSAGE_MAX_LENGTH,
            value: text.value,
            placeholder: t('placeholder'),
            'aria-invalid': failed,
            'aria-describedby': failed ? `${id}-problem` : undefined,
            onInput,
            onKeydown,
            onPaste,
          }),
          h(
            'button',
            { type: 'submit', class: 'helperkit-button', disabled: uploading.value },
            t('send'),
          ),
          files.value.length > 0 &&
            h(
              'ul',
              { class: 'helperkit-files', 'aria-label': t('attachments') },
              files.value.map(fileItem),
            ),
          canAttach.value && [
            h('input', {
              ref: picker,
              type: 'file',
              class: 'helperkit-sr',
              tabindex: '-1',
              'aria-hidden': 'true',
              multiple: true,
              accept: ACCEPT,
              onChange: onPick,
            }),
            h(
              'button',
              {
                type: 'button',
                class: 'helperkit-link helperkit-attach',
                disabled: files.value.length >= MAX_FILES,
                onClick: () => picker.value?.click(),
              },
              t('attach'),
            ),
          ],
          failed &&
            h(
              'p',
              { id: `${id}-problem`, class: 'helperkit-problem', role: 'alert' },
              shownProblem,
            ),
        ],
      );
    };
  },
});
