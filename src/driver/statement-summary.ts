/**
 * What a statement does and to which tables, read from its text for the diagnostics channels (diagnostics.ts) and so
 * for the OpenTelemetry bridge: the operation (its first keyword), the one table it names when it names exactly one,
 * and a summary in OpenTelemetry's `db.query.summary` shape (`SELECT users posts`, `INSERT orders SELECT carts`),
 * table names without their quotes.
 * Only keywords and table names are kept, never a literal: a summary carries nothing a parameter or a string holds.
 * Runs only while someone listens to the channels.
 */
import { sqlTokens, type SqlToken } from '../shared/sql-tokens.js';

export interface StatementSummary {
  /** The first keyword, upper-cased (`SELECT`, `INSERT`, `COPY`); `SQL` when the text starts with none. */
  operation: string;
  /** The table, when the statement names exactly one: schema-qualified as written, without quotes. */
  table: string | undefined;
  /** Operations and tables in the order written, at most 255 characters, without cutting a word. */
  summary: string;
}

const OPERATIONS = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'COPY', 'CREATE', 'DROP', 'ALTER', 'REFRESH', 'OPTIMIZE', 'SHOW', 'VALUES',
  'EXPLAIN', 'DECLARE', 'FETCH', 'CLOSE', 'SET', 'RESET', 'KILL', 'GRANT', 'REVOKE', 'DENY', 'ANALYZE', 'WITH', 'BEGIN',
  'COMMIT', 'DISCARD', 'RESTORE', 'SWAP',
]);
/** Words after which a table name follows anywhere in a statement. */
const TABLE_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'TABLE']);
/** Operations whose table follows them directly (`UPDATE t`, `COPY t FROM`), only as a statement's first word. */
const TABLE_AFTER_FIRST = new Set(['UPDATE', 'COPY']);
/** Words that may sit between such a word and the table name (`DROP TABLE IF EXISTS t`). */
const SKIPPED = new Set(['IF', 'NOT', 'EXISTS', 'ONLY']);
/** Words before a parenthesis that opens a query or a list, not a function's arguments (`IN (SELECT ...)`). */
const NOT_FUNCTIONS = new Set(['IN', 'EXISTS', 'FROM', 'JOIN', 'AS', 'ANY', 'ALL', 'SOME', 'ON', 'AND', 'OR', 'NOT', 'WHERE', 'SELECT', 'VALUES', 'USING', 'LATERAL']);
const MAX_SUMMARY = 255;
/** A summary is a grouping key, not a parse: past this many tokens (a long literal INSERT) the rest is not read. */
const MAX_TOKENS = 4000;

export function summarizeStatement(statement: string): StatementSummary {
  const parts: string[] = [];
  const tables = new Set<string>();
  let operation: string | undefined;
  // The last part pushed was an operation: a nested SELECT right after another adds nothing.
  let afterOperation = false;
  let expectTable = false;
  // Whether the table being read follows FROM or JOIN, where `name(` is a table function (`FROM unnest(?)`).
  let afterFrom = false;
  let pending: SqlToken[] = [];
  // One entry per open parenthesis: whether it holds a function's arguments, where FROM is no table's (EXTRACT, TRIM).
  const parens: boolean[] = [];
  let previous: SqlToken | undefined;
  let count = 0;
  const flushTable = (next: SqlToken | undefined): void => {
    // Without quotes: Drizzle quotes every name, and `SELECT "users"` groups and reads worse than `SELECT users`.
    const name = pending.map((token) => token.text).join('.');
    pending = [];
    // `FROM unnest(?)`: a table function, not a table (after INTO or TABLE, a parenthesis opens a column list).
    if (afterFrom && next?.kind === 'symbol' && next.text === '(') return;
    tables.add(name);
    parts.push(name);
    afterOperation = false;
  };
  for (const token of sqlTokens(statement)) {
    if (++count > MAX_TOKENS) break;
    const last = previous;
    previous = token;
    if (pending.length > 0) {
      if (token.kind === 'symbol' && token.text === '.') continue;
      if (statement[token.start - 1] === '.' && (token.kind === 'word' || token.kind === 'ident')) {
        pending.push(token);
        continue;
      }
      flushTable(token);
    }
    if (token.kind === 'symbol') {
      if (token.text === '(') parens.push(last?.kind === 'word' && !NOT_FUNCTIONS.has(last.text.toUpperCase()));
      else if (token.text === ')') parens.pop();
      expectTable = false;
      continue;
    }
    const word = token.kind === 'word' ? token.text.toUpperCase() : undefined;
    if (word === 'SELECT' && last?.kind === 'symbol' && last.text === '(') parens[parens.length - 1] = false;
    if (expectTable) {
      if (word !== undefined && SKIPPED.has(word)) continue;
      expectTable = false;
      if ((word !== undefined && !OPERATIONS.has(word)) || token.kind === 'ident') {
        pending.push(token);
        continue;
      }
    }
    if (word === undefined) continue;
    if (operation === undefined) {
      operation = OPERATIONS.has(word) ? word : 'SQL';
      parts.push(operation);
      afterOperation = true;
      if (TABLE_AFTER_FIRST.has(word)) {
        expectTable = true;
        afterFrom = false;
      }
    } else if (word === 'SELECT' && !afterOperation) {
      parts.push(word);
      afterOperation = true;
    }
    if (TABLE_BEFORE.has(word) && parens.at(-1) !== true) {
      expectTable = true;
      afterFrom = word === 'FROM' || word === 'JOIN';
    }
  }
  if (pending.length > 0) flushTable(undefined);
  return { operation: operation ?? 'SQL', table: tables.size === 1 ? [...tables][0] : undefined, summary: truncate(parts) };
}

function truncate(parts: string[]): string {
  let summary = '';
  for (const part of parts) {
    const next = summary === '' ? part : `${summary} ${part}`;
    if (next.length > MAX_SUMMARY) break;
    summary = next;
  }
  return summary;
}
