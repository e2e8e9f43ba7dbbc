/**
 * The one SQL lexer of the package: string literals and quoted identifiers (with doubled-quote escapes), words,
 * numbers and symbols, each with its place in the text; whitespace and comments (`--` to the end of the line, and
 * `/* ... *\/`) are skipped, as CrateDB's lexer skips them. The kit parses SHOW CREATE TABLE and normalises
 * expressions with it, and reads views' queries (tables/views.ts); the driver finds a statement's keywords with it
 * (retry.ts, cursor.ts).
 */

export type SqlToken = {
  kind: 'string' | 'ident' | 'word' | 'number' | 'symbol';
  /** The value: unquoted and unescaped for strings and identifiers, as written otherwise. */
  text: string;
  start: number;
  end: number;
};

const TWO_CHAR_SYMBOLS = new Set(['<>', '!=', '<=', '>=', '||', '::']);
/** CrateDB's INTEGER_VALUE and DECIMAL_VALUE, less the `_` digit separators. */
const NUMBER = /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?/y;

export function tokenizeSql(text: string): SqlToken[] {
  return [...sqlTokens(text)];
}

/**
 * The tokens one at a time, so that a caller that needs only the first few (the driver, on every statement it sends)
 * does not lex a long INSERT to its end.
 */
export function* sqlTokens(text: string): Generator<SqlToken, void, undefined> {
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(char)) {
      i++;
    } else if (char === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (char === '/' && next === '*') {
      // Not nested, as in CrateDB; an unterminated comment runs to the end.
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (char === "'" || char === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length) {
        if (text[j] === char && text[j + 1] === char) {
          value += char;
          j += 2;
        } else if (text[j] === char) break;
        else value += text[j++];
      }
      yield { kind: char === "'" ? 'string' : 'ident', text: value, start: i, end: j + 1 };
      i = j + 1;
    } else if (/[A-Za-z_]/.test(char)) {
      // CrateDB's identifiers have no `$`: `SELECT$1` is SELECT and a parameter.
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      yield { kind: 'word', text: text.slice(i, j), start: i, end: j };
      i = j;
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next ?? ''))) {
      // An exponent needs its digits: in `1else` the `e` starts a word, as it did for the driver's old scanner.
      NUMBER.lastIndex = i;
      const j = NUMBER.exec(text) ? NUMBER.lastIndex : i + 1;
      yield { kind: 'number', text: text.slice(i, j), start: i, end: j };
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const symbol = TWO_CHAR_SYMBOLS.has(two) ? two : char;
      yield { kind: 'symbol', text: symbol, start: i, end: i + symbol.length };
      i += symbol.length;
    }
  }
}
