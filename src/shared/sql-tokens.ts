/**
 * A small SQL tokenizer for the kit: string literals and quoted identifiers (with doubled-quote escapes), words,
 * numbers and symbols, each with its place in the text. Introspection parses SHOW CREATE TABLE with it, and the
 * expression comparison normalises with it.
 */

export type SqlToken = {
  kind: 'string' | 'ident' | 'word' | 'number' | 'symbol';
  /** The value: unquoted and unescaped for strings and identifiers, as written otherwise. */
  text: string;
  start: number;
  end: number;
};

const TWO_CHAR_SYMBOLS = new Set(['<>', '!=', '<=', '>=', '||', '::']);

export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
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
      tokens.push({ kind: char === "'" ? 'string' : 'ident', text: value, start: i, end: j + 1 });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(char)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_$]/.test(text[j]!)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let j = i;
      while (j < text.length && /[0-9.eE]/.test(text[j]!)) j++;
      tokens.push({ kind: 'number', text: text.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const symbol = TWO_CHAR_SYMBOLS.has(two) ? two : char;
      tokens.push({ kind: 'symbol', text: symbol, start: i, end: i + symbol.length });
      i += symbol.length;
    }
  }
  return tokens;
}
