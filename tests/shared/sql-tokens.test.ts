import { describe, expect, it } from 'vitest';
import { sqlTokens, tokenizeSql } from '../../src/shared/sql-tokens.js';

const kinds = (text: string) => tokenizeSql(text).map(({ kind, text }) => `${kind}:${text}`);

describe('tokenizeSql', () => {
  it('unquotes strings and quoted identifiers, doubled quotes included, and keeps their place', () => {
    expect(tokenizeSql(`'it''s' "a""b"`)).toEqual([
      { kind: 'string', text: "it's", start: 0, end: 7 },
      { kind: 'ident', text: 'a"b', start: 8, end: 14 },
    ]);
  });

  it('skips whitespace and both kinds of comment, an unterminated one to the end', () => {
    expect(kinds('-- a\n\t/* b\n c */x -- d')).toEqual(['word:x']);
    expect(kinds('a /* b')).toEqual(['word:a']);
    expect(kinds("'-- no' \"/* no */\"")).toEqual(['string:-- no', 'ident:/* no */']);
    expect(kinds('a - -b')).toEqual(['word:a', 'symbol:-', 'symbol:-', 'word:b']);
  });

  it('ends a word at `$`, as CrateDB does', () => {
    expect(kinds('SELECT$1 a_1')).toEqual(['word:SELECT', 'symbol:$', 'number:1', 'word:a_1']);
  });

  it('reads numbers as CrateDB writes them, and no letter that is not an exponent', () => {
    expect(kinds('1 1.5 .5 1. 1e5 1.5E-3 2e+2')).toEqual(['number:1', 'number:1.5', 'number:.5', 'number:1.', 'number:1e5', 'number:1.5E-3', 'number:2e+2']);
    expect(kinds('1else 1e')).toEqual(['number:1', 'word:else', 'number:1', 'word:e']);
  });

  it('reads the two-character operators as one symbol', () => {
    expect(kinds('a::int <> b != c <= d >= e || f')).toEqual([
      'word:a', 'symbol:::', 'word:int', 'symbol:<>', 'word:b', 'symbol:!=', 'word:c', 'symbol:<=', 'word:d', 'symbol:>=', 'word:e', 'symbol:||', 'word:f',
    ]);
  });

  it('gives the tokens one at a time', () => {
    const tokens = sqlTokens('SELECT 1');
    expect(tokens.next().value).toEqual({ kind: 'word', text: 'SELECT', start: 0, end: 6 });
    expect(tokens.next().value).toEqual({ kind: 'number', text: '1', start: 7, end: 8 });
    expect(tokens.next().done).toBe(true);
  });
});
