/** A structured header value that does not follow its grammar. Caught by the parsers here. */
export class MalformedHeader extends Error {}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const KEYWORD_CHAR = /[A-Za-z0-9_-]/;
// Where a bare value ends: whitespace, a comment, a separator, a quote or an escape. Looser than a
// MIME token on purpose: real headers carry `@`, `/`, `=` and `+` unquoted (addresses, base64).
const VALUE_END = new Set([...WHITESPACE, '(', ')', ';', '"', '\\']);

/**
 * Reads a structured header value (RFC 5322 CFWS, quoted-strings, keywords) left to right, without
 * backtracking, so any input is read in linear time. Methods throw MalformedHeader on bad input.
 * See docs/email-authentication.md.
 */
export class HeaderCursor {
  private at = 0;

  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.at];
  }

  /** Skips whitespace, line folding and comments; comments nest and may hold quoted-pairs. */
  skipCfws(): void {
    while (!this.done) {
      const char = this.text[this.at]!;
      if (WHITESPACE.has(char)) this.at++;
      else if (char === '(') this.skipComment();
      else return;
    }
  }

  /** Consumes `char` when it comes next (after CFWS); tells whether it did. */
  eat(char: string): boolean {
    this.skipCfws();
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  expect(char: string): void {
    if (!this.eat(char)) throw new MalformedHeader(`"${char}" expected`);
  }

  /** A keyword (letters, digits, `-`, `_`), lowercased: names compare case-insensitively. */
  keyword(): string {
    this.skipCfws();
    const start = this.at;
    while (!this.done && KEYWORD_CHAR.test(this.text[this.at]!)) this.at++;
    if (this.at === start) throw new MalformedHeader('keyword expected');
    return this.text.slice(start, this.at).toLowerCase();
  }

  /** A run of decimal digits, or null when none comes next. */
  digits(): string | null {
    this.skipCfws();
    const match = /^\d+/.exec(this.text.slice(this.at, this.at + 16));
    if (match === null) return null;
    this.at += match[0].length;
    return match[0];
  }

  /**
   * A value: a quoted-string (unescaped), a quoted local part with its `@domain`, or a bare run.
   * Case is kept; '' when nothing stands there.
   */
  value(): string {
    this.skipCfws();
    if (this.peek() === '"') {
      const quoted = this.quotedString();
      return this.peek() === '@' ? quoted + this.bareRun() : quoted;
    }
    return this.bareRun();
  }

  /** Moves up to the next `char` outside comments and quoted-strings, or to the end. */
  skipTo(char: string): void {
    while (!this.done) {
      const next = this.text[this.at]!;
      if (next === char) return;
      try {
        if (next === '(') this.skipComment();
        else if (next === '"') this.quotedString();
        else this.at++;
      } catch {
        // An unterminated comment or quote runs to the end: nothing after it can be trusted.
        this.at = this.text.length;
      }
    }
  }

  private bareRun(): string {
    const start = this.at;
    while (!this.done && !VALUE_END.has(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  private quotedString(): string {
    let result = '';
    this.at++; // the opening quote
    while (!this.done) {
      const char = this.text[this.at++]!;
      if (char === '"') return result;
      if (char === '\\') {
        if (this.done) break;
        result += this.text[this.at++];
      } else if (char !== '\r' && char !== '\n') {
        result += char;
      }
    }
    throw new MalformedHeader('unterminated quoted-string');
  }

  private skipComment(): void {
    let depth = 0;
    while (!this.done) {
      const char = this.text[this.at++]!;
      if (char === '\\') this.at++;
      else if (char === '(') depth++;
      else if (char === ')' && --depth === 0) return;
    }
    throw new MalformedHeader('unterminated comment');
  }
}
