/** `db.insert(t).values(rows)` on Drizzle 0.45, every row accounted for (see src/dialect/insert-rows.ts). */
import { entityKind, is, Param, type SQL } from 'drizzle-orm';
import { PgInsertBase, PgInsertBuilder, type PgInsertConfig, type PgTable } from 'drizzle-orm/pg-core';
import { insertEveryRow } from '../../dialect/insert-rows.js';
import type { CrateDialect } from './dialect.js';
import type { CrateSession } from './session.js';

export { PartialInsertError } from '../../dialect/insert-rows.js';

type InsertInternals = {
  config: PgInsertConfig;
  session: CrateSession;
  dialect: CrateDialect;
  getSQL(): SQL;
  _prepare(name?: string): { execute(placeholders?: Record<string, unknown>): Promise<unknown> };
};

export class CrateInsertBuilder extends PgInsertBuilder<PgTable, any, false> {
  static override readonly [entityKind]: string = 'CrateInsertBuilder';

  override values(values: any): any {
    const insert = super.values(values) as unknown as PgInsertBase<PgTable, any> & InsertInternals;
    accountForEveryRow(insert);
    return insert;
  }
}

/** Replaces the insert's `execute`: statements within the server's length limit, and row counts checked. */
function accountForEveryRow(insert: InsertInternals & { execute: (placeholders?: Record<string, unknown>) => Promise<unknown> }): void {
  const runWhole = insert.execute;
  const partOf = (slice: readonly Record<string, Param | SQL>[]) => {
    const part = Object.create(insert) as InsertInternals;
    part.config = { ...insert.config, values: slice as Record<string, Param | SQL>[] };
    return part;
  };
  insert.execute = async (placeholders) => {
    const { config } = insert;
    // INSERT ... SELECT: how many rows the select yields is not known here.
    if (config.select || !Array.isArray(config.values)) return runWhole(placeholders);
    return insertEveryRow({
      table: config.table,
      rows: config.values,
      returning: config.returning !== undefined,
      sqlFor: (rows) => insert.dialect.sqlToQuery(partOf(rows).getSQL()).sql,
      isParameter: (value) => is(value, Param),
      run: (rows, whole) => (whole ? runWhole(placeholders) : partOf(rows)._prepare().execute(placeholders)),
      maxStatementLength: insert.session.maxStatementLength,
    });
  };
}
