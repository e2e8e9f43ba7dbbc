/**
 * Bulk writes through CrateDB's `bulk_args`: one statement, many argument rows, one outcome per row. CrateDB parses
 * and plans the statement once, so this is the fast path for ingest; and since each row succeeds or fails on its
 * own, the result says exactly which rows failed and why.
 */
import { getTableColumns, is, Param, SQL, type Column } from 'drizzle-orm';
import { CrateDBError, type BulkItemResult, type CrateClient } from '../driver/index.js';
import { CrateArgumentError, CratePartialWriteError, CrateValueError } from '../shared/errors.js';
import { qualifiedName, quote } from '../shared/sql-text.js';
import { tableIdentity } from './internals.js';

export interface BulkProgress {
  /** Rows sent so far (all requests answered up to here). */
  done: number;
  total: number;
  /** Rows that failed so far. */
  failed: number;
}

export interface BulkOptions {
  /** Rows per HTTP request (default 5000). Each request is one `bulk_args` statement. */
  chunkSize?: number;
  /** Called after each request with the running totals. */
  onProgress?: (progress: BulkProgress) => void;
}

export interface BulkInsertOptions extends BulkOptions {
  /** `ON CONFLICT DO NOTHING`: rows whose primary key exists are skipped (row count 0), not failed. */
  onConflictDoNothing?: boolean;
}

export interface BulkFailure {
  /** Index of the row in the input. */
  index: number;
  error: { code: number; message: string };
}

export interface BulkWriteResult {
  /** Rows written (the sum of the successful rows' counts). */
  rowCount: number;
  /** One outcome per input row, in input order: `rowCount` -2 marks a failed row. */
  results: BulkItemResult[];
  /** The failed rows, with CrateDB's reason. Empty when every row went in. */
  failed: BulkFailure[];
}

export const DEFAULT_BULK_CHUNK = 5_000;

/**
 * A bulk write stopped at a chunk that failed as a whole (connection lost, statement refused). `written` holds the
 * outcome of every row of the chunks before it, exactly as a successful run would have; `unsentFrom` is the first
 * row that was not confirmed, and `outcomeUnknown` says whether the failed chunk may have been applied.
 */
export class BulkWriteError extends CratePartialWriteError {
  static override readonly errorName: string = 'BulkWriteError';

  constructor(
    /** Outcomes of the rows before `unsentFrom`, in input order. */
    readonly written: BulkWriteResult,
    /** Index of the first row of the failed chunk: it and every later row are not reported. */
    readonly unsentFrom: number,
    /** Rows in the input. */
    readonly total: number,
    /** True when the failed chunk reached a server and may or may not have been applied. */
    readonly outcomeUnknown: boolean,
    cause: unknown,
  ) {
    super(
      `bulk write stopped at row ${unsentFrom} of ${total}: ${written.results.length} rows before it were written as reported in ` +
        `error.written (${written.rowCount} applied, ${written.failed.length} failed); the chunk from row ${unsentFrom} ` +
        (outcomeUnknown ? 'may or may not have been applied (the connection was lost after sending it)' : 'was not applied') +
        ', and no later rows were sent',
      { cause },
    );
  }
}

/** Sends `statement` once per chunk of `argsRows` as `bulk_args`, collecting per-row outcomes in input order. */
export async function runBulk(
  client: CrateClient,
  statement: string,
  argsRows: readonly (readonly unknown[])[],
  options: BulkOptions = {},
): Promise<BulkWriteResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_BULK_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new CrateArgumentError(`bulk: chunkSize must be a positive integer, got ${chunkSize}`);
  const results: BulkItemResult[] = [];
  const failed: BulkFailure[] = [];
  let rowCount = 0;
  for (let start = 0; start < argsRows.length; start += chunkSize) {
    const chunk = argsRows.slice(start, start + chunkSize);
    let response: Awaited<ReturnType<CrateClient['bulk']>>;
    try {
      response = await client.bulk(statement, chunk);
    } catch (error) {
      // The first chunk failing as a whole is an ordinary failure: nothing was written.
      if (start === 0) throw error;
      const outcomeUnknown = error instanceof CrateDBError && error.outcomeUnknown;
      throw new BulkWriteError({ rowCount, results, failed }, start, argsRows.length, outcomeUnknown, error);
    }
    if (response.results.length !== chunk.length) {
      throw new CrateDBError(`bulk: CrateDB answered ${response.results.length} outcomes for ${chunk.length} rows`, { kind: 'bad-response', statement });
    }
    for (const [offset, item] of response.results.entries()) {
      results.push(item);
      if (item.rowCount >= 0) rowCount += item.rowCount;
      else if (item.error) failed.push({ index: start + offset, error: item.error });
    }
    options.onProgress?.({ done: Math.min(start + chunkSize, argsRows.length), total: argsRows.length, failed: failed.length });
  }
  return { rowCount, results, failed };
}

/**
 * Builds `INSERT INTO t (c1, c2, ...) VALUES ($1, $2, ...)` and one argument row per input row. The column list is
 * every insertable column some row sets (or that has a client-side default); all rows share it, so a row that leaves
 * out a column another row sets is refused before anything is sent rather than written with a silent NULL.
 */
export function bulkInsertStatement(
  table: object,
  rows: readonly Record<string, unknown>[],
  columnName: (column: Column) => string,
  options: { onConflictDoNothing?: boolean } = {},
): { statement: string; args: unknown[][] } {
  const { name: tableName, schema } = tableIdentity(table);
  const columns = Object.entries(getTableColumns(table as never) as Record<string, Column>).filter(
    ([, column]) => !(column as Column & { shouldDisableInsert(): boolean }).shouldDisableInsert(),
  );
  const used = columns.filter(
    ([key, column]) => column.defaultFn !== undefined || column.onUpdateFn !== undefined || rows.some((row) => row[key] !== undefined),
  );
  if (used.length === 0) throw new CrateArgumentError(`bulkInsert(${tableName}): the rows set no columns`);

  const args = rows.map((row, index) =>
    used.map(([key, column]) => {
      let value = row[key];
      if (value === undefined) {
        const generate = column.defaultFn ?? column.onUpdateFn;
        if (!generate) {
          throw new CrateValueError(
            `bulkInsert(${tableName})`,
            `row ${index} leaves out "${key}", which other rows set. All rows of a bulk insert ` +
              'share one column list: give the row a value (or null), or insert such rows separately',
          );
        }
        value = generate();
      }
      if (is(value, SQL) || is(value, Param)) {
        throw new CrateValueError(`bulkInsert(${tableName})`, `row ${index}, "${key}": bulk rows take plain values, not sql\`\` expressions`);
      }
      return value === null ? null : column.mapToDriverValue(value);
    }),
  );
  const names = used.map(([, column]) => quote(columnName(column)));
  const placeholders = used.map((_, i) => `$${i + 1}`);
  const conflict = options.onConflictDoNothing ? ' ON CONFLICT DO NOTHING' : '';
  const statement = `INSERT INTO ${qualifiedName({ name: tableName, schema })} (${names.join(', ')}) VALUES (${placeholders.join(', ')})${conflict}`;
  return { statement, args };
}
