/**
 * The statements of CrateDB's relational loading, for the planners of both lines: each relation is loaded by one
 * statement that takes the keys of all parent rows at once (`where fk = any($keys)`), its rows cut per parent on the
 * server when the relation has a limit.
 */
import { and, Column, is, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { keyPlaceholder } from './loader.js';

export type LimitValue = number | Placeholder | undefined;

/** A selected cell: a column, or an expression with its alias. */
export type Cell = Column | SQL.Aliased;

/** Name of the row-number column a windowed statement orders by. */
const ROW_NUMBER = '__rn';

/**
 * Which columns a `columns` config selects, with drizzle-orm's rules (both lines): any `true` selects only those,
 * else all but the `false` ones.
 */
export function selectedColumnKeys(all: readonly string[], config: Record<string, boolean | undefined> | undefined): string[] {
  if (!config) return [...all];
  const named = Object.entries(config).filter(([key, value]) => value !== undefined && all.includes(key));
  if (named.length === 0) return [];
  if (named.some(([, value]) => value === true)) return named.filter(([, value]) => value === true).map(([key]) => key);
  const excluded = new Set(named.map(([key]) => key));
  return all.filter((key) => !excluded.has(key));
}

/**
 * `fk = any($keys)`, one array per key column. For a key of several columns this selects every combination of the
 * values; the client then keeps the rows whose combination a parent has. CrateDB parses a chain of
 * `(a = ? and b = ?) or ...` slowly and overflows its parser's stack at a few thousand terms, so it is not used.
 */
export function keyFilter(references: readonly (Column | SQL)[]): SQL {
  return and(...references.map((column, i) => sql`${column} = any(${sql.placeholder(keyPlaceholder(i))})`))!;
}

export function selectStatement(from: SQL, cells: readonly Cell[], where: SQL | undefined, orderBy: readonly SQL[], limit: LimitValue, offset: LimitValue): SQL {
  const statement = sql`select ${sql.join(cells.map(cellSql), sql`, `)} from ${from}`;
  if (where) statement.append(sql` where ${where}`);
  if (orderBy.length > 0) statement.append(sql` order by ${sql.join([...orderBy], sql`, `)}`);
  if (limit !== undefined) statement.append(sql` limit ${limit}`);
  if (offset !== undefined) statement.append(sql` offset ${offset}`);
  return statement;
}

/**
 * Each parent's slice of rows, cut on the server:
 * `select c0, c1 from (select ..., row_number() over (partition by fk order by ...) as __rn from t where ...) as __r
 *  where __rn > offset and __rn <= offset + limit order by __rn`.
 * Cells are renamed c0, c1, ... inside, so a column and an extra with the same name cannot clash.
 */
export function windowedStatement(
  from: SQL,
  cells: readonly Cell[],
  where: SQL | undefined,
  partitionBy: readonly (Column | SQL)[],
  orderBy: readonly SQL[],
  offset: LimitValue,
  limit: LimitValue,
): SQL {
  const names = cells.map((_, i) => sql.identifier(`c${i}`));
  const inner = sql`select ${sql.join(
    cells.map((cell, i) => sql`${is(cell, Column) ? cell : cell.sql} as ${names[i]}`),
    sql`, `,
  )}, row_number() over (partition by ${sql.join([...partitionBy], sql`, `)}${
    orderBy.length > 0 ? sql` order by ${sql.join([...orderBy], sql`, `)}` : sql``
  }) as ${sql.identifier(ROW_NUMBER)} from ${from}`;
  if (where) inner.append(sql` where ${where}`);
  const rowNumber = sql.identifier(ROW_NUMBER);
  const bounds: SQL[] = [];
  if (offset !== undefined) bounds.push(sql`${rowNumber} > ${offset}`);
  if (limit !== undefined) bounds.push(offset === undefined ? sql`${rowNumber} <= ${limit}` : sql`${rowNumber} <= ${offset} + ${limit}`);
  return sql`select ${sql.join(names, sql`, `)} from (${inner}) as ${sql.identifier('__r')} where ${sql.join(bounds, sql` and `)} order by ${rowNumber}`;
}

function cellSql(cell: Cell): SQL {
  return is(cell, Column) ? sql`${cell}` : sql`${cell.sql} as ${sql.identifier(cell.fieldAlias)}`;
}

/** The cells of a statement, with positions: selected fields first, then hidden key cells as they are needed. */
export class CellList {
  readonly cells: Cell[];

  constructor(fields: readonly Cell[]) {
    this.cells = [...fields];
  }

  /** The position of `cell`, added (hidden from the result) when not selected yet. */
  indexOf(cell: Cell): number {
    const found = this.cells.indexOf(cell);
    if (found !== -1) return found;
    this.cells.push(cell);
    return this.cells.length - 1;
  }
}
