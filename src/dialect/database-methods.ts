/**
 * The CrateDB methods of `CrateDatabase` on both Drizzle lines: bulk writes, COPY, optimistic updates, refresh, batch
 * and the raw iterator. Each line mixes them into its CrateDatabase (see ./mixins.ts); what differs between the lines
 * (selects, inserts, relational queries, transactions) stays in the line's class.
 */
import { and, type InferInsertModel, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { CrateClient } from '../driver/index.js';
import { runBatch } from './batch.js';
import { bulkInsertStatement, runBulk, type BulkInsertOptions, type BulkOptions, type BulkWriteResult } from './bulk.js';
import { copyFrom, copyTo, type CopyFromFileResult, type CopyFromOptions, type CopyRunner, type CopyToOptions } from './copy.js';
import { refreshTables } from './ddl.js';
import { unchangedSince, type RowVersion } from './functions/system.js';
import { dialectOf, type PreparableQuery } from './internals.js';
import { iterateSql, type IteratorOptions } from './iterator.js';
import { mixIn } from './mixins.js';
import type { CrateQueryResult } from './query-result.js';

export interface CrateDatabaseMethods {
  /**
   * Inserts many rows with one statement and CrateDB's `bulk_args`, in requests of `chunkSize` rows, and reports
   * each row's outcome: `failed` lists the rows CrateDB refused (duplicate key, failed check, ...) with the reason.
   * Rows are mapped by the table's columns as in `insert()`; every row must set the same columns.
   */
  bulkInsert<TTable extends PgTable>(table: TTable, rows: readonly InferInsertModel<TTable>[], options?: BulkInsertOptions): Promise<BulkWriteResult>;

  /**
   * `COPY table FROM uri [WITH (...)] RETURN SUMMARY`: CrateDB's nodes read the file(s) at `uri` (file://, s3://,
   * https://; globs allowed) into the table. Returns per node and file the rows imported and refused, with the
   * error messages and line numbers. Options use CrateDB's names and are checked before sending.
   */
  copyFrom(table: PgTable, uri: string | readonly string[], options?: CopyFromOptions): Promise<CopyFromFileResult[]>;

  /**
   * `COPY table [PARTITION (...)] [(columns)] [WHERE ...] TO DIRECTORY uri [WITH (...)]`: every node writes the rows of
   * its shards as JSON lines into files under `uri` on its own disk. Returns the number of rows exported.
   */
  copyTo(table: PgTable, uri: string, options?: CopyToOptions): Promise<number>;

  /**
   * Runs one statement with `$1..$n` placeholders once per argument row through `bulk_args` (INSERT, UPDATE or
   * DELETE), reporting each row's outcome. Values are sent as given.
   */
  bulkExecute(statement: string, argsRows: readonly (readonly unknown[])[], options?: BulkOptions): Promise<BulkWriteResult>;

  /**
   * Optimistic concurrency: updates the row(s) matching `where` only if unchanged since `version` (its `_seq_no` and
   * `_primary_term`, read with `systemColumns()`) was read. `applied` is false when another write came first.
   */
  updateIfUnchanged<TTable extends PgTable>(
    table: TTable,
    options: { set: PgUpdateSetSource<TTable>; where: SQL; version: RowVersion },
  ): Promise<{ applied: boolean }>;

  /**
   * Makes recent writes visible to searches: `REFRESH TABLE t1, t2`. CrateDB is eventually consistent; a lookup by
   * primary key sees a write at once, any other query only after the table's next refresh (1 s by default).
   */
  refresh(...tables: PgTable[]): Promise<void>;

  /**
   * Runs the statements one after another and returns their results in order. Every statement is built first, so one
   * CrateDB cannot run fails the batch before anything is sent. It is not atomic (CrateDB has no transactions): when
   * a statement fails, the ones before it stay applied and the error says which one failed.
   */
  batch<U extends BatchItem<'pg'>, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>>;

  /**
   * `db.execute()`'s counterpart for large results: a SELECT or VALUES read through a server-side cursor, row by row
   * as objects keyed by CrateDB's column names, in memory bounded by `batchSize` (see docs/streaming.md).
   */
  iterator<TRow extends Record<string, unknown> = Record<string, unknown>>(query: SQLWrapper | string, options?: IteratorOptions): AsyncIterable<TRow>;
}

/** What the methods need of a line's database, most of it `@internal` in drizzle-orm's declarations. */
interface DatabaseParts {
  readonly $client: CrateClient;
  readonly session: { readonly logger: NonNullable<CopyRunner['logger']>; readonly refreshAfterWrite: boolean };
  execute(query: SQL): PromiseLike<unknown>;
  update(table: PgTable): { set(values: unknown): { where(where: SQL | undefined): PromiseLike<unknown> } };
}

/** What they need of its dialect: rendering, and the name a column has in SQL (casing is the line's business). */
interface DialectParts {
  sqlToQuery(query: SQL): { sql: string; params: unknown[]; typings?: unknown };
  columnName(column: object): string;
}

const partsOf = (db: unknown) => ({ db: db as DatabaseParts, dialect: dialectOf<DialectParts>(db as object) });

async function refreshIfAsked(db: DatabaseParts, table: PgTable): Promise<void> {
  if (db.session.refreshAfterWrite) await refreshTables(db, [table]);
}

const methods: CrateDatabaseMethods = {
  async bulkInsert(table, rows, options = {}) {
    if (rows.length === 0) return { rowCount: 0, results: [], failed: [] };
    const { db, dialect } = partsOf(this);
    const { statement, args } = bulkInsertStatement(table, rows as readonly Record<string, unknown>[], (column) => dialect.columnName(column), options);
    const result = await runBulk(db.$client, statement, args, options);
    await refreshIfAsked(db, table);
    return result;
  },
  async copyFrom(table, uri, options = {}) {
    const { db, dialect } = partsOf(this);
    const files = await copyFrom({ dialect, client: db.$client, logger: db.session.logger }, table, uri, options);
    await refreshIfAsked(db, table);
    return files;
  },
  async copyTo(table, uri, options = {}) {
    const { db, dialect } = partsOf(this);
    return copyTo({ dialect, client: db.$client, logger: db.session.logger }, table, uri, options);
  },
  async bulkExecute(statement, argsRows, options = {}) {
    if (argsRows.length === 0) return { rowCount: 0, results: [], failed: [] };
    return runBulk(partsOf(this).db.$client, statement, argsRows, options);
  },
  async updateIfUnchanged(table, options) {
    const update = partsOf(this).db.update(table).set(options.set).where(and(options.where, unchangedSince(table, options.version)));
    const result = (await update) as CrateQueryResult;
    return { applied: result.rowCount > 0 };
  },
  async refresh(...tables) {
    await refreshTables(partsOf(this).db, tables);
  },
  async batch(batch) {
    return runBatch(batch.map((item) => (item as unknown as PreparableQuery)._prepare())) as never;
  },
  iterator(query, options) {
    const { dialect } = partsOf(this);
    return iterateSql(this, query, (statement) => dialect.sqlToQuery(statement), options);
  },
};

/** Puts the methods on a line's CrateDatabase class. */
export function mixInDatabaseMethods(database: abstract new (...args: never[]) => object): void {
  mixIn(database, methods);
}
