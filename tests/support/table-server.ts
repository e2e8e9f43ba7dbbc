/**
 * Answers the plain SELECTs the relational query loader sends, from in-memory tables, so its strategy can be tested
 * over the protocol server: which statements go out, how many, with which parameters, and what comes back.
 *
 *   select "t"."a", "t"."b" from "t" [where "t"."k" = any($1) [and "t"."j" = any($2)]] [order by "t"."a" asc|desc, ...]
 *   [limit $n] [offset $n]
 *
 * and the select builder's `select "a", "b" from "t" where "t"."k" = $1` (the naive loader of the benchmark).
 *
 * Anything else (windowed statements, extras, user conditions) is answered with an error naming the statement: those
 * are checked against a real CrateDB in tests/integration/relational.test.ts.
 */
import { replies, type ProtocolServer, type RecordedRequest, type Reply } from './protocol-server.js';

export type Tables = Record<string, Record<string, unknown>[]>;

const PLAIN = /^select (.+?) from "(\w+)"(?: where (.+?))?(?: order by (.+?))?(?: limit \$(\d+))?(?: offset \$(\d+))?$/;

export function serveTables(server: ProtocolServer, tables: Tables): void {
  server.handle((request) => {
    try {
      return answer(request, tables);
    } catch (error) {
      return replies.error(4000, (error as Error).message);
    }
  });
}

function answer(request: RecordedRequest, tables: Tables): Reply {
  const statement = request.stmt ?? '';
  const args = request.json?.args ?? [];
  const match = PLAIN.exec(statement);
  if (!match) return replies.error(4000, `table-server cannot answer: ${statement}`);
  const [, selectList, table, where, orderBy, limit, offset] = match;
  const rows = tables[table!];
  if (!rows) return replies.error(4041, `RelationUnknown[Relation '${table}' unknown]`);
  const items = selectList!.split(', ').map((item) => columnOf(item, table!));
  if (items.includes(undefined)) return replies.error(4000, `table-server cannot answer: ${statement}`);
  const columns = items.map((item) => item!.column);

  let result = select(rows, conditionsOf(where, table!, args));
  for (const { column, descending } of (orderBy ? orderBy.split(', ') : []).map((item) => orderOf(item, table!)).reverse()) {
    result = [...result].sort((a, b) => compare(a[column], b[column]) * (descending ? -1 : 1));
  }
  const skip = offset ? Number(args[Number(offset) - 1]) : 0;
  const take = limit ? Number(args[Number(limit) - 1]) : Infinity;
  result = result.slice(skip, skip + take);
  return replies.rows(
    items.map((item) => item!.name),
    columns.map(() => 0),
    result.map((row) => columns.map((column) => row[column] ?? null)),
  );
}

/** `"t"."c"`, `"c"`, or `"t"."c" as "n"` (a view's expression field, read as the view's column). */
function columnOf(item: string, table: string): { column: string; name: string } | undefined {
  const match = new RegExp(`^(?:"${table}"\\.)?"(\\w+)"(?: as "(\\w+)")?$`).exec(item);
  return match ? { column: match[1]!, name: match[2] ?? match[1]! } : undefined;
}

function orderOf(item: string, table: string): { column: string; descending: boolean } {
  const match = new RegExp(`^"${table}"\\."(\\w+)"(?: (asc|desc))?$`).exec(item);
  if (!match) throw new Error(`table-server cannot order by ${item}`);
  return { column: match[1]!, descending: match[2] === 'desc' };
}

interface Condition {
  column: string;
  values: Set<unknown>;
}

/** The `col = any($n)` / `col = $n` terms of a `where` joined by `and`. */
function conditionsOf(where: string | undefined, table: string, args: unknown[]): Condition[] {
  if (!where) return [];
  return where
    .replace(/^\((.*)\)$/, '$1')
    .split(' and ')
    .map((term) => {
      const match = new RegExp(`^"${table}"\\."(\\w+)" = (any\\()?\\$(\\d+)\\)?$`).exec(term);
      if (!match) throw new Error(`table-server cannot filter by ${term}`);
      const value = args[Number(match[3]) - 1];
      return { column: match[1]!, values: new Set(match[2] ? (value as unknown[]) : [value]) };
    });
}

/**
 * The rows every condition keeps, in table order. The first condition is looked up in an index of its column, built
 * on first use, so a benchmark sending thousands of one-key queries measures the client, not this server's scans.
 */
function select(rows: Record<string, unknown>[], conditions: Condition[]): Record<string, unknown>[] {
  if (conditions.length === 0) return rows;
  const [first, ...rest] = conditions as [Condition, ...Condition[]];
  const index = indexOf(rows, first.column);
  const positions: number[] = [];
  for (const value of first.values) positions.push(...(index.get(value) ?? []));
  if (first.values.size > 1) positions.sort((a, b) => a - b);
  return positions.map((position) => rows[position]!).filter((row) => rest.every(({ column, values }) => values.has(row[column])));
}

const indexes = new WeakMap<object, Map<string, Map<unknown, number[]>>>();

function indexOf(rows: Record<string, unknown>[], column: string): Map<unknown, number[]> {
  let byColumn = indexes.get(rows);
  if (!byColumn) indexes.set(rows, (byColumn = new Map()));
  let index = byColumn.get(column);
  if (!index) {
    index = new Map();
    rows.forEach((row, position) => {
      const list = index!.get(row[column]);
      if (list) list.push(position);
      else index!.set(row[column], [position]);
    });
    byColumn.set(column, index);
  }
  return index;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return (a as number) < (b as number) ? -1 : 1;
}
