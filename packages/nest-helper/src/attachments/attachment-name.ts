/** The most characters of a stored file name. */
const MAX_NAME_LENGTH = 200;

// Control characters (CR and LF among them), path separators and the characters Windows refuses
// in file names: a name is shown and offered as a download name, never a path or a header line.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** The declared name without anything unsafe, as staff see a refused file's name. */
export const cleanFileName = (declared: string | null | undefined): string =>
  Array.from(
    (declared ?? '')
      .normalize('NFC')
      .replace(UNSAFE, ' ')
      .replace(/\s+/g, ' ')
      // No hidden (dot) file, and no trailing dot or space, which Windows drops.
      .replace(/^[\s.]+|[\s.]+$/g, ''),
  )
    .slice(0, MAX_NAME_LENGTH)
    .join('');

/**
 * A name safe to store and serve: NFC, without control, separator or bidi-override characters,
 * and ending in the extension of the sniffed type, whatever the sender called the file
 * (`report.html` that is really text becomes `report.html.txt`). Non-Latin letters stay.
 */
export function storedFileName(declared: string | null | undefined, extension: string): string {
  const cleaned = cleanFileName(declared);
  const dot = cleaned.lastIndexOf('.');
  const given = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  const sameType = given === extension || (extension === 'jpg' && given === 'jpeg');
  // By code points, so a letter outside the BMP is never cut in half.
  const base = Array.from(cleaned === '' ? 'file' : cleaned)
    .slice(0, MAX_NAME_LENGTH - extension.length - 1)
    .join('');
  return sameType && base === cleaned ? cleaned : `${base.replace(/\.+$/, '')}.${extension}`;
}
