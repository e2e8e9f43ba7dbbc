/**
 * `db.insert(t).values(rows)` for any number of rows. CrateDB refuses statements longer than `statement_max_length`
 * (256 KiB of SQL by default), which a multi-row VALUES list reaches at a few thousand rows; such an insert is sent as
 * several statements of consecutive rows, in order, and their results are combined.
 */
import { entityKind, getTableColumns, is, Param, type SQL } from 'drizzle-orm';
import { PgInsertBase, PgInsertBuilder, type PgInsertConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { CrateDialect } from './dialect.js';
import type { CrateQueryResult, CrateSession } from './session.js';

/** A split insert failed part-way: the rows before `insertedRows` were written, the others were not sent. */
export class PartialInsertError extends Error {
  override readonly name = 'PartialInsertError';

  constructor(
    /** Rows written by the statements that succeeded (the first `insertedRows` rows of the values). */
    readonly insertedRows: number,
    /** Rows of the statement that failed and after it. */
    readonly notInsertedRows: number,
    cause: unknown,
  ) {
    super(
      `insert stopped after ${insertedRows} rows: the statement for the next ${notInsertedRows} rows failed and no later ` +
        'rows were sent (CrateDB has no transactions, so the earlier rows stay written)',
      { cause },
    );
  }
}

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
    splitWhenTooLong(insert);
    return insert;
  }
}

/** Replaces the insert's `execute` so that a statement over the server's length limit goes out in parts. */
function splitWhenTooLong(insert: InsertInternals & { execute: (placeholders?: Record<string, unknown>) => Promise<unknown> }): void {
  const runWhole = insert.execute;
  insert.execute = async (placeholders) => {
    const { config, session, dialect } = insert;
    const rows = config.values;
    if (config.select || !Array.isArray(rows) || rows.length < 2) return runWhole(placeholders);
    const limit = session.maxStatementLength;
    const partFor = (slice: typeof rows) => {
      const part = Object.create(insert) as InsertInternals;
      part.config = { ...config, values: slice };
      return part;
    };
    const lengthOf = (slice: typeof rows) => dialect.sqlToQuery(partFor(slice).getSQL()).sql.length;

    // Values travel as parameters, so a row adds only placeholders to the SQL text: at most `$` plus 7 digits and
    // a separator per column, and its parentheses. That bound sizes the parts without rendering every row twice;
    // rows holding sql`` expressions have no such bound and are measured instead.
    const width = Object.keys(getTableColumns(config.table)).length;
    const paramsOnly = rows.every((row) => Object.values(row).every((value) => is(value, Param)));
    const rowBound = width * 10 + 4;
    const firstLength = lengthOf(rows.slice(0, 1));
    if (paramsOnly && firstLength + (rows.length - 1) * rowBound <= limit) return runWhole(placeholders);

    const chunks: (typeof rows)[] = [];
    if (paramsOnly) {
      const perPart = Math.max(1, Math.floor((limit - firstLength) / rowBound) + 1);
      for (let start = 0; start < rows.length; start += perPart) chunks.push(rows.slice(start, start + perPart));
    } else {
      const split = (slice: typeof rows) => {
        if (slice.length > 1 && lengthOf(slice) > limit) {
          const half = Math.ceil(slice.length / 2);
          split(slice.slice(0, half));
          split(slice.slice(half));
        } else {
          chunks.push(slice);
        }
      };
      split(rows);
    }
    if (chunks.length === 1) return runWhole(placeholders);

    let written = 0;
    const returned: unknown[] = [];
    const total: CrateQueryResult = { rows: [], rowCount: 0, cols: [], duration: 0 };
    for (const chunk of chunks) {
      let result: unknown;
      try {
        result = await partFor(chunk)._prepare().execute(placeholders);
      } catch (error) {
        if (written === 0) throw error;
        throw new PartialInsertError(written, rows.length - written, error);
      }
      written += chunk.length;
      if (Array.isArray(result)) {
        returned.push(...result);
      } else {
        const part = result as CrateQueryResult;
        total.rowCount += Math.max(part.rowCount, 0);
        total.duration += part.duration;
        total.cols = part.cols;
      }
    }
    return config.returning ? returned : total;
  };
}
