/**
 * `db.insert(t).values(rows)` for any number of rows, with every row accounted for. CrateDB refuses statements longer
 * than `statement_max_length` (256 KiB of SQL by default), which a multi-row VALUES list reaches at a few thousand
 * rows: such an insert is sent as several statements of consecutive rows, in order, and their results are combined.
 * And CrateDB answers a multi-row insert whose rows it partly refuses with a smaller row count and no error, so the
 * count is compared with the rows sent.
 */
import { entityKind, getTableColumns, is, Param, type SQL } from 'drizzle-orm';
import { PgInsertBase, PgInsertBuilder, type PgInsertConfig, type PgTable } from 'drizzle-orm/pg-core';
import { CratePartialWriteError } from '../shared/errors.js';
import { InsertRowCountError, skipsConflicts } from '../drizzle-common/insert-check.js';
import { tableLabel } from '../drizzle-common/internals.js';
import type { CrateDialect } from './dialect.js';
import type { CrateQueryResult, CrateSession } from './session.js';

/** A split insert failed part-way: the rows before `insertedRows` were written, the others were not sent. */
export class PartialInsertError extends CratePartialWriteError {
  override name = 'PartialInsertError';

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
    accountForEveryRow(insert);
    return insert;
  }
}

/** Replaces the insert's `execute`: statements within the server's length limit, and row counts checked. */
function accountForEveryRow(insert: InsertInternals & { execute: (placeholders?: Record<string, unknown>) => Promise<unknown> }): void {
  const runWhole = insert.execute;
  insert.execute = async (placeholders) => {
    const { config } = insert;
    const rows = config.values;
    // INSERT ... SELECT: how many rows the select yields is not known here.
    if (config.select || !Array.isArray(rows)) return runWhole(placeholders);
    const chunks = rows.length < 2 ? [rows] : chunksWithinLimit(insert, rows);
    const explained = skipsConflicts(insert.dialect.sqlToQuery(insert.getSQL()).sql);

    let written = 0;
    let sent = 0;
    let last: unknown;
    const returned: unknown[] = [];
    const total: CrateQueryResult = { rows: [], rowCount: 0, cols: [], duration: 0 };
    for (const chunk of chunks) {
      let result: unknown;
      try {
        result = chunks.length === 1 ? await runWhole(placeholders) : await partOf(insert, chunk)._prepare().execute(placeholders);
      } catch (error) {
        if (sent === 0) throw error;
        throw new PartialInsertError(sent, rows.length - sent, error);
      }
      sent += chunk.length;
      last = result;
      const count = Array.isArray(result) ? result.length : Math.max((result as CrateQueryResult).rowCount, 0);
      written += count;
      if (count < chunk.length && !explained) throw new InsertRowCountError(tableLabel(config.table), sent, written);
      if (Array.isArray(result)) {
        returned.push(...result);
      } else {
        const part = result as CrateQueryResult;
        total.rowCount += count;
        total.duration += part.duration;
        total.cols = part.cols;
      }
    }
    if (chunks.length === 1) return last;
    return config.returning ? returned : total;
  };
}

function partOf(insert: InsertInternals, slice: PgInsertConfig['values'] & unknown[]): InsertInternals {
  const part = Object.create(insert) as InsertInternals;
  part.config = { ...insert.config, values: slice };
  return part;
}

/**
 * Consecutive rows per statement so that none exceeds the server's `statement_max_length`. Values travel as
 * parameters, so a row adds only placeholders to the SQL text: at most `$` plus 7 digits and a separator per column,
 * and its parentheses. That bound sizes the parts without rendering every row twice; rows holding sql`` expressions
 * have no such bound and are measured instead.
 */
function chunksWithinLimit(insert: InsertInternals, rows: Record<string, Param | SQL>[]): Record<string, Param | SQL>[][] {
  const limit = insert.session.maxStatementLength;
  const lengthOf = (slice: typeof rows) => insert.dialect.sqlToQuery(partOf(insert, slice).getSQL()).sql.length;
  const width = Object.keys(getTableColumns(insert.config.table)).length;
  const paramsOnly = rows.every((row) => Object.values(row).every((value) => is(value, Param)));
  const rowBound = width * 10 + 4;
  const firstLength = lengthOf(rows.slice(0, 1));
  if (paramsOnly && firstLength + (rows.length - 1) * rowBound <= limit) return [rows];

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
  return chunks;
}
