import { h } from 'vue';

/**
 * A message's or conversation's time: the time alone for today, with the date otherwise; in the
 * widget's language, the reader's zone. A plain render helper: a component would cost more bytes.
 */
export function chatTime(tag: string, value: string) {
  const date = new Date(value);
  const today = date.toDateString() === new Date().toDateString();
  return h(
    'time',
    { datetime: value },
    date.toLocaleString(tag, { dateStyle: today ? undefined : 'medium', timeStyle: 'short' }),
  );
}
