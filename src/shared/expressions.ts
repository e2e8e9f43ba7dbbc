/**
 * Reading SQL expressions as CrateDB stores them. Comparison ignores what CrateDB changes when it stores an expression: spacing, letter case of
 * keywords and functions, quotes around plain identifiers, redundant outer parentheses, `CAST(x AS type)` and `x::type`
 * wrappers it adds around literals.
 */
import { quote, quoteIfNeeded } from './sql-text.js';
import { tokenizeSql, type SqlToken } from './sql-tokens.js';

type Token = Pick<SqlToken, 'kind' | 'text'>;

/** Tokens in comparable form: unquoted words folded to lower case (as CrateDB folds them), numbers and `!=` normalised. */
function tokenize(text: string): Token[] {
  return tokenizeSql(text).map(({ kind, text: value }): Token => {
    if (kind === 'word') return { kind, text: value.toLowerCase() };
    if (kind === 'number') return { kind, text: String(Number(value)) };
    if (kind === 'symbol' && value === '!=') return { kind, text: '<>' };
    return { kind, text: value };
  });
}

const render = (token: Token): string => {
  switch (token.kind) {
    case 'string':
      return `'${token.text.replace(/'/g, "''")}'`;
    case 'ident':
      return quoteIfNeeded(token.text);
    default:
      return token.text;
  }
};

/** Index of the token closing the parenthesis opened at `open`, or -1. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]!.kind === 'symbol' ? tokens[i]!.text : '';
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) return i;
  }
  return -1;
}

function simplify(tokens: Token[]): Token[] {
  // CAST(x AS type) → x, where x is a literal (CrateDB adds such casts to literals when it normalizes).
  let result: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'word' && token.text === 'cast' && tokens[i + 1]?.text === '(' && tokens[i + 1]?.kind === 'symbol') {
      const end = closing(tokens, i + 1);
      const as = tokens.findIndex((t, j) => j > i + 1 && j < end && t.kind === 'word' && t.text === 'as');
      if (end > 0 && as > 0) {
        const inner = tokens.slice(i + 2, as);
        if (inner.length === 1 || (inner.length === 2 && inner[0]!.text === '-')) {
          result.push(...inner);
          i = end;
          continue;
        }
      }
    }
    result.push(token);
  }
  // x::type after a literal → x
  const withoutCasts: Token[] = [];
  for (let i = 0; i < result.length; i++) {
    const token = result[i]!;
    if (token.kind === 'symbol' && token.text === '::' && withoutCasts.length && ['string', 'number'].includes(withoutCasts.at(-1)!.kind)) {
      i++;
      while (result[i + 1]?.kind === 'word' && !['and', 'or', 'not', 'is', 'in', 'like'].includes(result[i + 1]!.text)) i++;
      continue;
    }
    withoutCasts.push(token);
  }
  result = withoutCasts;
  // Redundant outer parentheses.
  while (result.length >= 2 && result[0]!.text === '(' && closing(result, 0) === result.length - 1) result = result.slice(1, -1);
  // `- 1` and `-1` are the same literal.
  return result;
}

/** A canonical text for comparing expressions; not meant to be executed. */
export function canonicalExpression(text: string): string {
  return simplify(tokenize(text)).map(render).join(' ');
}

export function sameExpression(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a === b || canonicalExpression(a) === canonicalExpression(b);
}

/** Quoted identifiers an expression mentions (its column references). */
export function referencedIdentifiers(text: string): string[] {
  return tokenize(text)
    .filter((token) => token.kind === 'ident')
    .map((token) => token.text);
}

/**
 * Column names an expression may refer to: quoted identifiers as written, bare words folded to lower case (as
 * CrateDB folds them), without function names (a word followed by `(`). Keywords stay in: they only make checks
 * that use this more cautious.
 */
export function referencedColumns(text: string): string[] {
  const tokens = tokenize(text);
  return tokens
    .filter((token, i) => token.kind === 'ident' || (token.kind === 'word' && !(tokens[i + 1]?.kind === 'symbol' && tokens[i + 1]!.text === '(')))
    .map((token) => token.text);
}

/** Rewrites the quoted identifier `from` to `to` in an expression (for column renames). */
export function renameIdentifier(text: string, from: string, to: string): string {
  const quotedFrom = quote(from);
  const quotedTo = quote(to);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === "'") {
      const end = skipQuoted(text, i, "'");
      out += text.slice(i, end);
      i = end;
    } else if (char === '"') {
      const end = skipQuoted(text, i, '"');
      const token = text.slice(i, end);
      out += token === quotedFrom ? quotedTo : token;
      i = end;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

function skipQuoted(text: string, start: number, quote: string): number {
  let j = start + 1;
  while (j < text.length) {
    if (text[j] === quote && text[j + 1] === quote) j += 2;
    else if (text[j] === quote) return j + 1;
    else j++;
  }
  return j;
}
