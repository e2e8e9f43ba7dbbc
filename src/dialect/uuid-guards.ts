/**
 * What CrateDB 6.4 does with UUID columns that a query builder must work around, applied by both lines' dialects to
 * every statement before rendering:
 * - `<`, `>`, `<=`, `>=`, BETWEEN, `min()`, `max()` and `count(distinct)` are unknown functions for UUID (4004), and
 *   there is no cast from UUID to text: refused here with what to write instead;
 * - `IN (...)` with two or more values on an indexed UUID column fails ("values are out of order") unless the values
 *   come in the order of the index's bytes (each 64-bit half little-endian), so `inArray` values are sorted into that
 *   order, and placeholders, which cannot be sorted when the statement is built, become a chain of equalities.
 * An SQL object is never changed in place: a statement that needs a rewrite gets a rewritten copy.
 */
import { entityKind, is, Param, SQL, sql } from 'drizzle-orm';
import { CrateUnsupportedError } from '../shared/errors.js';
import { UUID_PATTERN } from '../columns/values.js';
import { isCrateColumn } from './column-model.js';

const ORDERING = /^\s*(<=|>=|<>|<|>|not\s+between\b|between\b)/i;
const CAST_TO_TEXT = /^\s*::\s*(text|varchar|string|character\s+varying)\b/i;
const AGGREGATE_BEFORE = /\b(min|max|count\s*\(\s*distinct)\s*\(?\s*$/i;
const IN_LIST = /^\s*(not\s+)?in\s*$/i;

function isUuidColumn(chunk: unknown): chunk is { name: string } {
  return isCrateColumn(chunk) && chunk.crate.spec.kind === 'uuid';
}

/** The text of a string chunk on either line (0.45 holds a list of strings, v1 a string), else undefined. */
function chunkText(chunk: unknown): string | undefined {
  if (typeof chunk !== 'object' || chunk === null) return undefined;
  if ((chunk.constructor as { [entityKind]?: string } | undefined)?.[entityKind] !== 'StringChunk') return undefined;
  const value = (chunk as { value: unknown }).value;
  return Array.isArray(value) ? value.join('') : String(value);
}

function refuseOperator(column: string, operator: string): never {
  throw new CrateUnsupportedError(
    `${operator} on the UUID column "${column}"`,
    'CrateDB compares UUIDs only for equality (=, <>, IN, IS NULL), and orders them by two signed 64-bit halves, not as ' +
      'text. Filter by equality or inArray(), or keep a sortable column (a timestamp, a sequence) next to the UUID.',
  );
}

function refuseCast(column: string): never {
  throw new CrateUnsupportedError(
    `casting the UUID column "${column}" to text`,
    `There is no cast from UUID to text; write sql\`format('%s', \${column})\` to get its text.`,
  );
}

/** The bytes CrateDB's UUID index orders by: each 64-bit half of the UUID, least significant byte first. */
export function uuidIndexKey(value: string): string {
  const hex = value.replace(/-/g, '').toLowerCase();
  const half = (part: string) => part.match(/../g)!.reverse().join('');
  return half(hex.slice(0, 16)) + half(hex.slice(16));
}

/**
 * Values for `= any(?)` in the order an indexed UUID column needs (CrateDB fails with "values are out of order"
 * otherwise); any other list is returned as it is, since the order of `= any` values does not change the result.
 */
export function inIndexOrder(values: readonly unknown[]): readonly unknown[] {
  if (values.length < 2 || !values.every(isUuidText)) return values;
  return byIndexKey(values, (value) => value as string);
}

function sortedForIndex(values: readonly Param[]): Param[] {
  return byIndexKey(values, (param) => String(param.value));
}

/** `items` in the UUID index's order of the UUID text each holds. */
function byIndexKey<T>(items: readonly T[], uuidOf: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: uuidIndexKey(uuidOf(item)) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.item);
}

export const isUuidText = (value: unknown): value is string => typeof value === 'string' && UUID_PATTERN.test(value);

/** `column in (a, b)` → `(column = a or column = b)`; `not in` → `(column <> a and column <> b)`: the same three-valued logic. */
function equalityChain(column: unknown, values: readonly unknown[], negated: boolean): SQL {
  const terms = values.map((value) => sql`${column}${sql.raw(negated ? ' <> ' : ' = ')}${value}`);
  return sql`(${sql.join(terms, sql.raw(negated ? ' and ' : ' or '))})`;
}

/** The statement with its UUID comparisons checked and `inArray` lists made safe; the same object when nothing changes. */
export function guardUuidComparisons(query: SQL): SQL {
  return visit(query, new Map()) as SQL;
}

/**
 * The selected fields of a select, checked as written: pg-core renders a single table's fields with bare column
 * names, so by the time the statement is rendered a field no longer holds its column.
 */
export function checkUuidSelection(fields: unknown): void {
  if (typeof fields !== 'object' || fields === null) return;
  if (is(fields, SQL) || is(fields, SQL.Aliased)) {
    visit(fields, new Map());
    return;
  }
  if (Object.getPrototypeOf(fields) === Object.prototype) for (const value of Object.values(fields)) checkUuidSelection(value);
}

function visit(chunk: unknown, seen: Map<unknown, unknown>): unknown {
  if (typeof chunk !== 'object' || chunk === null) return chunk;
  if (seen.has(chunk)) return seen.get(chunk);
  if (Array.isArray(chunk)) {
    let changed = false;
    const next = chunk.map((item) => {
      const result = visit(item, seen);
      if (result !== item) changed = true;
      return result;
    });
    return changed ? next : chunk;
  }
  if (is(chunk, SQL.Aliased)) {
    const inner = visit(chunk.sql, seen);
    return inner === chunk.sql ? chunk : Object.assign(Object.create(Object.getPrototypeOf(chunk) as object) as object, chunk, { sql: inner });
  }
  if (!is(chunk, SQL)) return chunk;
  // A statement may hold one SQL object twice; it is rewritten once. Set before visiting, so a cycle ends.
  seen.set(chunk, chunk);
  const chunks = chunk.queryChunks as unknown[];
  let next: unknown[] | undefined;
  for (let i = 0; i < chunks.length; i++) {
    const item = chunks[i];
    if (isUuidColumn(item)) {
      const after = chunkText(chunks[i + 1]);
      const before = chunkText(chunks[i - 1]);
      if (after !== undefined) {
        const ordering = ORDERING.exec(after);
        if (ordering && ordering[1] !== '<>') refuseOperator(item.name, ordering[1]!.replace(/\s+/g, ' ').toUpperCase());
        if (CAST_TO_TEXT.test(after)) refuseCast(item.name);
      }
      if (before !== undefined) {
        const aggregate = AGGREGATE_BEFORE.exec(before);
        if (aggregate) refuseOperator(item.name, /^count/i.test(aggregate[1]!) ? 'count(distinct)' : `${aggregate[1]!.toLowerCase()}()`);
      }
      const list = chunks[i + 2];
      const inMatch = after === undefined ? null : IN_LIST.exec(after);
      if (inMatch && Array.isArray(list) && list.length > 1) {
        next ??= [...chunks];
        if (list.every((value) => is(value, Param) && isUuidText(value.value))) {
          next[i + 2] = sortedForIndex(list as Param[]);
        } else {
          // Placeholders and expressions: their values are not known yet, so no order can be chosen.
          next[i] = equalityChain(item, list, inMatch[1] !== undefined);
          next[i + 1] = sql.raw('');
          next[i + 2] = sql.raw('');
        }
        i += 2;
        continue;
      }
    }
    const result = visit(item, seen);
    if (result !== item) {
      next ??= [...chunks];
      next[i] = result;
    }
  }
  if (next === undefined) return chunk;
  const copy: unknown = Object.assign(Object.create(Object.getPrototypeOf(chunk) as object) as object, chunk, { queryChunks: next });
  seen.set(chunk, copy);
  return copy;
}
