/**
 * What `db.execute()` and a write without `returning()` resolve to, on both Drizzle lines: CrateDB's answer with the
 * rows as objects.
 */
import type { SqlResult } from '../driver/index.js';

export interface CrateQueryResult<TRow = Record<string, unknown>> {
  /** Rows as objects keyed by the names CrateDB gave the result columns. */
  rows: TRow[];
  /** Rows returned or affected; -1 when CrateDB cannot tell (e.g. some DDL). */
  rowCount: number;
  /** Result column names, in order. */
  cols: string[];
  /** Server-side duration in milliseconds. */
  duration: number;
}

export function toQueryResult(result: SqlResult): CrateQueryResult {
  return { rows: rowsAsObjects(result), rowCount: result.rowCount, cols: result.cols, duration: result.duration };
}

export function rowsAsObjects(result: Pick<SqlResult, 'cols' | 'rows'>): Record<string, unknown>[] {
  const { cols, rows } = result;
  return rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < cols.length; i++) object[cols[i]!] = row[i];
    return object;
  });
}

/** Tables as pg-core names them in query metadata (`name` or `schema.name`), for REFRESH TABLE. */
export function tablesFromMetadata(tables: readonly string[]): { name: string; schema?: string }[] {
  // Neither a schema nor a table name can contain '.', so the first one separates them.
  return tables.map((table) => {
    const dot = table.indexOf('.');
    return dot === -1 ? { name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
  });
}
