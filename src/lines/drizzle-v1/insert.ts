/** `db.insert(t).values(rows)` on Drizzle v1, every row accounted for (see src/dialect/insert-rows.ts). */
import { entityKind, is, SQL } from 'drizzle-orm';
import type { PgInsertConfig } from 'drizzle-orm/pg-core';
import { insertEveryRow } from '../../dialect/insert-rows.js';
import type { CrateDialect } from './dialect.js';
import { PgAsyncInsertBase } from './orm.js';
import type { CrateSession } from './session.js';

export { PartialInsertError } from '../../dialect/insert-rows.js';

interface InsertInternals {
  config: PgInsertConfig;
  session: CrateSession<any>;
  dialect: CrateDialect;
  getSQL(): SQL;
  _prepare(): { execute(placeholders?: Record<string, unknown>): Promise<unknown> };
}

/** pg-core's async insert, whose `execute` splits long inserts and checks the row count CrateDB reports. */
export class CrateInsertBase extends (PgAsyncInsertBase as unknown as new (...args: any[]) => InsertInternals) {
  static readonly [entityKind]: string = 'CrateInsert';

  execute = (placeholders?: Record<string, unknown>): Promise<unknown> => {
    const { config } = this;
    const whole = () => this._prepare().execute(placeholders);
    // INSERT ... SELECT: how many rows the select yields is not known here.
    if (config.select || !Array.isArray(config.values)) return whole();
    const partOf = (rows: readonly Record<string, unknown>[]) => {
      const part = Object.create(this) as InsertInternals;
      part.config = { ...config, values: rows as never };
      return part;
    };
    return insertEveryRow({
      table: config.table,
      rows: config.values as unknown as Record<string, unknown>[],
      returning: config.returning !== undefined,
      sqlFor: (rows) => this.dialect.sqlToQuery(partOf(rows).getSQL()).sql,
      isParameter: (value) => !is(value, SQL),
      run: (rows, isWhole) => (isWhole ? whole() : partOf(rows)._prepare().execute(placeholders)),
      maxStatementLength: this.session.maxStatementLength,
    });
  };
}
