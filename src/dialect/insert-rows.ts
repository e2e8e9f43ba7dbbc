/**
 * `insert(t).values(rows)` for any number of rows, with every row accounted for, on both lines. CrateDB refuses
 * statements longer than `statement_max_length` (256 KiB of SQL by default), which a multi-row VALUES list reaches
 * at a few thousand rows: such an insert is sent as several statements of consecutive rows, in order, and their
 * results are combined. And CrateDB answers a multi-row insert whose rows it partly refuses with a smaller row count
 * and no error, so the count is compared with the rows sent.
 */
import { getTableColumns, type SQL } from 'drizzle-orm';
import { CratePartialWriteError } from '../shared/errors.js';
import { InsertRowCountError, skipsConflicts } from './insert-check.js';
import { tableLabel } from './internals.js';
import type { CrateQueryResult } from './query-result.js';

/** A split insert failed part-way: the rows before `insertedRows` were written, the others were not sent. */
export class PartialInsertError extends CratePartialWriteError {
  static override readonly errorName: string = 'PartialInsertError';

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

/** What the insert of either line exposes to this module. */
export interface InsertParts<TRow> {
  readonly table: object;
  readonly rows: readonly TRow[];
  readonly returning: boolean;
  /** The statement's SQL text for these rows. */
  sqlFor(rows: readonly TRow[]): string;
  /** Whether a row's value travels as a parameter (a bounded number of characters in the SQL text). */
  isParameter(value: unknown): boolean;
  /** Runs the statement for these rows; `whole` is true when they are all the rows. */
  run(rows: readonly TRow[], whole: boolean): Promise<unknown>;
  maxStatementLength: number;
}

export async function insertEveryRow<TRow extends Record<string, unknown>>(parts: InsertParts<TRow>): Promise<unknown> {
  const { rows } = parts;
  const chunks = rows.length < 2 ? [rows] : chunksWithinLimit(parts);
  const explained = skipsConflicts(parts.sqlFor(rows.slice(0, 1)));
  let written = 0;
  let sent = 0;
  let last: unknown;
  const returned: unknown[] = [];
  const total: CrateQueryResult = { rows: [], rowCount: 0, cols: [], duration: 0 };
  for (const chunk of chunks) {
    let result: unknown;
    try {
      result = await parts.run(chunk, chunks.length === 1);
    } catch (error) {
      if (sent === 0) throw error;
      throw new PartialInsertError(sent, rows.length - sent, error);
    }
    sent += chunk.length;
    last = result;
    const count = Array.isArray(result) ? result.length : Math.max((result as CrateQueryResult).rowCount, 0);
    written += count;
    if (count < chunk.length && !explained) throw new InsertRowCountError(tableLabel(parts.table), sent, written);
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
  return parts.returning ? returned : total;
}

/**
 * Consecutive rows per statement so that none exceeds the server's `statement_max_length`. Values travel as
 * parameters, so a row adds only placeholders to the SQL text: at most `$` plus 7 digits and a separator per column,
 * and its parentheses. That bound sizes the parts without rendering every row twice; rows holding sql`` expressions
 * have no such bound and are measured instead.
 */
function chunksWithinLimit<TRow extends Record<string, unknown>>(parts: InsertParts<TRow>): (readonly TRow[])[] {
  const { rows, maxStatementLength: limit } = parts;
  const lengthOf = (slice: readonly TRow[]) => parts.sqlFor(slice).length;
  const width = Object.keys(getTableColumns(parts.table as never)).length;
  const paramsOnly = rows.every((row) => Object.values(row).every((value) => value === undefined || parts.isParameter(value)));
  const rowBound = width * 10 + 4;
  const firstLength = lengthOf(rows.slice(0, 1));
  if (paramsOnly && firstLength + (rows.length - 1) * rowBound <= limit) return [rows];

  const chunks: (readonly TRow[])[] = [];
  if (paramsOnly) {
    const perPart = Math.max(1, Math.floor((limit - firstLength) / rowBound) + 1);
    for (let start = 0; start < rows.length; start += perPart) chunks.push(rows.slice(start, start + perPart));
  } else {
    const split = (slice: readonly TRow[]) => {
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

export type { SQL };
