/**
 * Where CrateDB's grammar differs from what pg-core writes, the rewrites both Drizzle lines' dialects apply. Each
 * dialect passes what differs between the lines (how a column is named, how pg-core renders the rest).
 */
import { Column, getTableColumns, is, SQL, sql } from 'drizzle-orm';
import { PgColumn } from 'drizzle-orm/pg-core';
import { ObjectPatch } from './functions/object.js';
import { checkRowCount, refuse } from './refusals.js';

/** One set operation as both lines' select configs hold it. */
export interface SetOperation {
  readonly type: 'union' | 'intersect' | 'except';
  readonly isAll: boolean;
  readonly rightSelect: { getSQL(): SQL };
  readonly orderBy?: readonly unknown[] | undefined;
  readonly limit?: unknown;
  readonly offset?: unknown;
}

/**
 * Set operations without the parentheses pg-core puts around each side: CrateDB's grammar has no parenthesised
 * query term. A side that carries ORDER BY or LIMIT becomes a subquery instead; INTERSECT and EXCEPT take two plain
 * query specifications, UNION chains.
 */
export function crateSetOperations(left: SQL, leftIsPlain: boolean, operators: readonly SetOperation[]): SQL {
  let result = left;
  let resultIsPlainSpec = leftIsPlain;
  let resultIsSetOperation = false;
  operators.forEach((op, i) => {
    const { type, isAll, rightSelect, orderBy, limit, offset } = op;
    if (isAll && type !== 'union') throw refuse.setOperationAll(type);
    checkRowCount('limit', limit);
    checkRowCount('offset', offset);
    const leftNeedsWrap = !resultIsPlainSpec || (type !== 'union' && resultIsSetOperation);
    const lhs = leftNeedsWrap ? wrapAsSubquery(result, `set_left_${i}`) : result;
    const rightConfig = (rightSelect as unknown as { config?: { orderBy?: unknown[]; limit?: unknown; offset?: unknown; setOperators?: unknown[] } }).config;
    const rightIsPlain =
      rightConfig !== undefined &&
      !(rightConfig.orderBy?.length || rightConfig.limit !== undefined || rightConfig.offset !== undefined) &&
      (rightConfig.setOperators?.length ?? 0) === 0;
    const rhs = rightIsPlain ? rightSelect.getSQL() : wrapAsSubquery(rightSelect.getSQL(), `set_right_${i}`);

    const tail: SQL[] = [];
    if (orderBy && orderBy.length > 0) {
      // After a set operation, ORDER BY refers to output names, not to a table's columns.
      const items = orderBy.map((item) => (is(item, PgColumn) ? sql.identifier((item as PgColumn).name) : sql`${item}`));
      tail.push(sql` order by ${sql.join(items, sql`, `)}`);
    }
    if (typeof limit === 'object' || (typeof limit === 'number' && limit >= 0)) tail.push(sql` limit ${limit}`);
    if (offset) tail.push(sql` offset ${offset}`);

    result = sql`${lhs} ${sql.raw(type)}${isAll ? sql` all` : undefined} ${rhs}${sql.join(tail)}`;
    resultIsPlainSpec = tail.length === 0;
    resultIsSetOperation = true;
  });
  return result;
}

function wrapAsSubquery(query: SQL, alias: string): SQL {
  return sql`select * from (${query}) as ${sql.identifier(alias)}`;
}

/**
 * `objectPatch()` values of an update's SET, expanded into subscript assignments; `buildRest` renders the other
 * values as pg-core does. pg-core also adds columns with `$onUpdate`, so its part may be non-empty even when every
 * given value was a patch.
 */
export function buildUpdateSetWithPatches(
  table: object,
  set: Record<string, unknown>,
  columnName: (column: Column) => string,
  buildRest: (rest: Record<string, unknown>) => SQL,
): SQL | undefined {
  const patches = Object.entries(set).filter((entry): entry is [string, ObjectPatch] => entry[1] instanceof ObjectPatch);
  if (patches.length === 0) return undefined;
  const columns = getTableColumns(table as never) as Record<string, Column>;
  const assignments = patches.flatMap(([key, patch]) => {
    const column = columns[key]!;
    return patch.assignments(column, columnName(column));
  });
  const rest = Object.fromEntries(Object.entries(set).filter(([, value]) => !(value instanceof ObjectPatch)));
  const hasRest = Object.keys(rest).length > 0 || Object.values(columns).some((column) => column.onUpdateFn !== undefined);
  return sql.join(hasRest ? [buildRest(rest), ...assignments] : assignments, sql`, `);
}

/**
 * In ON CONFLICT ... DO UPDATE SET, CrateDB only takes bare column names ("too many parts" otherwise), while pg-core
 * writes `"table"."column"` for every column used in a value expression.
 */
export function withBareColumns(query: SQL, columnName: (column: Column) => string): SQL {
  const mapChunk = (chunk: unknown): unknown => {
    if (is(chunk, Column)) return sql.identifier(columnName(chunk));
    if (is(chunk, SQL)) return new SQL(chunk.queryChunks.map(mapChunk) as SQL['queryChunks']);
    return chunk;
  };
  return mapChunk(query) as SQL;
}

/**
 * pg-core renders `where`, `targetWhere` and `setWhere` of ON CONFLICT as nested SQL chunks starting with " where "
 * (a string chunk whose value is a list of strings on 0.45, a string on v1).
 */
export function hasWhereClause(onConflict: SQL): boolean {
  return onConflict.queryChunks.some((chunk) => {
    if (!is(chunk, SQL)) return false;
    const value = (chunk.queryChunks[0] as { value?: unknown } | undefined)?.value;
    const text = Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
    return text.trimStart().toLowerCase().startsWith('where ');
  });
}

/**
 * The keys of columns no row sets and no client-side default fills. pg-core writes `DEFAULT` for a column a row
 * leaves out, which CrateDB only accepts since 6.3: such a column is left out of the column list instead, so the
 * server applies its own default on every version. Only a column set in some rows and not in others needs `DEFAULT`.
 */
export function unsetColumnKeys(table: object, rows: readonly Record<string, unknown>[], isUnset: (value: unknown) => boolean): Set<string> {
  const columns = getTableColumns(table as never) as Record<string, Column>;
  return new Set(
    Object.keys(columns).filter((key) => {
      const column = columns[key]!;
      if (column.defaultFn !== undefined || column.onUpdateFn !== undefined) return false;
      return rows.every((row) => isUnset(row[key]));
    }),
  );
}
