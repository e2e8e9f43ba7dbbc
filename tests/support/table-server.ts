/**
 * Answers the plain SELECTs the relational query loader sends, from in-memory tables, so its strategy can be tested
 * over the protocol server: which statements go out, how many, with which parameters, and what comes back.
 *
 *   select "t"."a", "t"."b" from "t" [where "t"."k" = any($1) [and "t"."j" = any($2)]] [order by "t"."a" asc|desc, ...]
 *   [limit $n] [offset $n]
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
  const columns = selectList!.split(', ').map((item) => columnOf(item, table!));
  if (columns.includes(undefined)) return replies.error(4000, `table-server cannot answer: ${statement}`);

  let result = rows.filter((row) => matches(row, where, table!, args));
  for (const { column, descending } of (orderBy ? orderBy.split(', ') : []).map((item) => orderOf(item, table!)).reverse()) {
    result = [...result].sort((a, b) => compare(a[column], b[column]) * (descending ? -1 : 1));
  }
  const skip = offset ? Number(args[Number(offset) - 1]) : 0;
  const take = limit ? Number(args[Number(limit) - 1]) : Infinity;
  result = result.slice(skip, skip + take);
  const names = columns as string[];
  return replies.rows(
    names,
    names.map(() => 0),
    result.map((row) => names.map((name) => row[name] ?? null)),
  );
}

function columnOf(item: string, table: string): string | undefined {
  const match = new RegExp(`^"${table}"\\."(\\w+)"$`).exec(item);
  return match?.[1];
}

function orderOf(item: string, table: string): { column: string; descending: boolean } {
  const match = new RegExp(`^"${table}"\\."(\\w+)"(?: (asc|desc))?$`).exec(item);
  if (!match) throw new Error(`table-server cannot order by ${item}`);
  return { column: match[1]!, descending: match[2] === 'desc' };
}

function matches(row: Record<string, unknown>, where: string | undefined, table: string, args: unknown[]): boolean {
  if (!where) return true;
  const terms = where.replace(/^\((.*)\)$/, '$1').split(' and ');
  return terms.every((term) => {
    const match = new RegExp(`^"${table}"\\."(\\w+)" = any\\(\\$(\\d+)\\)$`).exec(term);
    if (!match) throw new Error(`table-server cannot filter by ${term}`);
    const values = args[Number(match[2]) - 1] as unknown[];
    return values.some((value) => value === row[match[1]!]);
  });
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return (a as number) < (b as number) ? -1 : 1;
}
