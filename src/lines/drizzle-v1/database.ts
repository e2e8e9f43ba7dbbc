import { and, entityKind, type AnyRelations, type EmptyRelations, type InferInsertModel, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { PgInsertBuilder, type PgAsyncTransaction, type PgColumn, type PgTable, type PgUpdateSetSource, type SelectedFields } from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { CrateClient } from '../../driver/index.js';
import { runBatch } from '../../dialect/batch.js';
import { copyFrom, copyTo, type CopyFromFileResult, type CopyFromOptions, type CopyToOptions } from '../../dialect/copy.js';
import { refreshTables } from '../../dialect/ddl.js';
import { bulkInsertStatement, runBulk, type BulkInsertOptions, type BulkOptions, type BulkWriteResult } from '../../dialect/bulk.js';
import { unchangedSince, type RowVersion } from '../../dialect/functions/system.js';
import type { PreparableQuery } from '../../dialect/internals.js';
import { iterateSql, type IteratorOptions } from '../../dialect/iterator.js';
import type { CrateQueryResult } from '../../dialect/query-result.js';
import { refuse } from '../../dialect/refusals.js';
import type { CrateDialect } from './dialect.js';
import { CrateInsertBase } from './insert.js';
import { PgAsyncDatabase } from './orm.js';
import { crateSelectStarts, type CrateSelectBuilder, type CrateSelectStarts, type SelectSource } from './select.js';
import type { CrateQueryResultHKT, CrateSession } from './session.js';

/** The Drizzle v1 database over CrateDB: pg-core's async database, with CrateDB's bulk writes, refresh and batch. */
export class CrateDatabase<TRelations extends AnyRelations = EmptyRelations> extends PgAsyncDatabase<CrateQueryResultHKT, TRelations> {
  static override readonly [entityKind]: string = 'CrateDatabase';

  /** The HTTP client this database sends through, as in drizzle-orm's own drivers. */
  declare readonly $client: CrateClient;
  /** @internal */
  declare readonly session: CrateSession<TRelations>;
  /** @internal */
  declare readonly dialect: CrateDialect;

  // The selects below are pg-core's with `.iterator()` added (see ./select.ts): made here rather than by patching
  // drizzle-orm's classes, so that other pg-core databases in the process are left as they are.
  override select(): CrateSelectBuilder<undefined>;
  override select<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override select(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectStarts(this.selectSource()).select(fields as SelectedFields);
  }

  override selectDistinct(): CrateSelectBuilder<undefined>;
  override selectDistinct<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinct(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectStarts(this.selectSource()).selectDistinct(fields as SelectedFields);
  }

  override selectDistinctOn(on: (PgColumn | SQLWrapper)[]): CrateSelectBuilder<undefined>;
  override selectDistinctOn<TSelection extends SelectedFields>(on: (PgColumn | SQLWrapper)[], fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinctOn(on: (PgColumn | SQLWrapper)[], fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectStarts(this.selectSource()).selectDistinctOn(on, fields as SelectedFields);
  }

  override with(...queries: WithSubquery[]): Omit<ReturnType<PgAsyncDatabase<CrateQueryResultHKT, TRelations>['with']>, keyof CrateSelectStarts> & CrateSelectStarts {
    return { ...super.with(...queries), ...crateSelectStarts(this.selectSource(), queries) };
  }

  private selectSource(): SelectSource {
    return { session: this.session as never, dialect: this.dialect, tagged: this.tagged };
  }

  /**
   * `insert(t).values(rows)` as in pg-core, except that a statement longer than CrateDB's `statement_max_length`
   * is sent as several statements of consecutive rows, and that rows CrateDB refused without an error are reported
   * ({@link InsertRowCountError}).
   */
  override insert: PgAsyncDatabase<CrateQueryResultHKT, TRelations>['insert'] = ((table: PgTable, ...columns: string[]) =>
    new PgInsertBuilder(table, this.session, this.dialect, undefined, undefined, columns.length ? columns : undefined, CrateInsertBase as never)) as never;

  /**
   * Inserts many rows with one statement and CrateDB's `bulk_args`, in requests of `chunkSize` rows, and reports
   * each row's outcome: `failed` lists the rows CrateDB refused (duplicate key, failed check, ...) with the reason.
   * Rows are mapped by the table's columns as in `insert()`; every row must set the same columns.
   */
  async bulkInsert<TTable extends PgTable>(table: TTable, rows: readonly InferInsertModel<TTable>[], options: BulkInsertOptions = {}): Promise<BulkWriteResult> {
    if (rows.length === 0) return { rowCount: 0, results: [], failed: [] };
    const { statement, args } = bulkInsertStatement(table, rows as unknown as Record<string, unknown>[], (column) => column.name, options);
    const result = await runBulk(this.$client, statement, args, options);
    if (this.session.refreshAfterWrite) await this.refresh(table);
    return result;
  }

  /**
   * `COPY table FROM uri [WITH (...)] RETURN SUMMARY`: CrateDB's nodes read the file(s) at `uri` (file://, s3://,
   * https://; globs allowed) into the table. Returns per node and file the rows imported and refused, with the
   * error messages and line numbers. Options use CrateDB's names and are checked before sending.
   */
  async copyFrom(table: PgTable, uri: string | readonly string[], options: CopyFromOptions = {}): Promise<CopyFromFileResult[]> {
    const files = await copyFrom({ dialect: this.dialect, client: this.$client, logger: this.session.logger }, table, uri, options);
    if (this.session.refreshAfterWrite) await this.refresh(table);
    return files;
  }

  /**
   * `COPY table [PARTITION (...)] [(columns)] [WHERE ...] TO DIRECTORY uri [WITH (...)]`: every node writes the rows of
   * its shards as JSON lines into files under `uri` on its own disk. Returns the number of rows exported.
   */
  async copyTo(table: PgTable, uri: string, options: CopyToOptions = {}): Promise<number> {
    return copyTo({ dialect: this.dialect, client: this.$client, logger: this.session.logger }, table, uri, options);
  }

  /**
   * Runs one statement with `$1..$n` placeholders once per argument row through `bulk_args` (INSERT, UPDATE or
   * DELETE), reporting each row's outcome. Values are sent as given.
   */
  async bulkExecute(statement: string, argsRows: readonly (readonly unknown[])[], options: BulkOptions = {}): Promise<BulkWriteResult> {
    if (argsRows.length === 0) return { rowCount: 0, results: [], failed: [] };
    return runBulk(this.$client, statement, argsRows, options);
  }

  /**
   * Optimistic concurrency: updates the row(s) matching `where` only if unchanged since `version` (its `_seq_no` and
   * `_primary_term`, read with `systemColumns()`) was read. `applied` is false when another write came first.
   */
  async updateIfUnchanged<TTable extends PgTable>(
    table: TTable,
    options: { set: PgUpdateSetSource<TTable>; where: SQL; version: RowVersion },
  ): Promise<{ applied: boolean }> {
    const result = (await this.update(table)
      .set(options.set)
      .where(and(options.where, unchangedSince(table, options.version)))) as unknown as CrateQueryResult;
    return { applied: result.rowCount > 0 };
  }

  /**
   * Makes recent writes visible to searches: `REFRESH TABLE t1, t2`. CrateDB is eventually consistent; a lookup by
   * primary key sees a write at once, any other query only after the table's next refresh (1 s by default).
   */
  async refresh(...tables: PgTable[]): Promise<void> {
    await refreshTables(this, tables);
  }

  /**
   * Runs the statements one after another and returns their results in order. Every statement is built first, so one
   * CrateDB cannot run fails the batch before anything is sent. It is not atomic (CrateDB has no transactions): when
   * a statement fails, the ones before it stay applied and the error says which one failed.
   */
  async batch<U extends BatchItem<'pg'>, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>> {
    return runBatch(batch.map((item) => (item as unknown as PreparableQuery)._prepare())) as Promise<BatchResponse<T>>;
  }

  /**
   * `db.execute()`'s counterpart for large results: a SELECT or VALUES read through a server-side cursor, row by row
   * as objects keyed by CrateDB's column names, in memory bounded by `batchSize` (see docs/streaming.md).
   */
  iterator<TRow extends Record<string, unknown> = Record<string, unknown>>(query: SQLWrapper | string, options?: IteratorOptions): AsyncIterable<TRow> {
    return iterateSql<TRow>(this, query, (statement) => this.dialect.sqlToQuery(statement), options);
  }

  override transaction<T>(_transaction: (tx: PgAsyncTransaction<CrateQueryResultHKT, TRelations>) => Promise<T>): Promise<T> {
    return Promise.reject(refuse.transactions());
  }
}
