// C0 controls, DEL and C1 controls: never legitimate in an email, a title or a link key, and the
// raw material of header injection.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const hasControlCharacters = (text: string): boolean => CONTROL_CHARACTERS.test(text);

/** Length in Unicode code points, so an emoji counts as one character, as a person counts it. */
export const characterCount = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};
