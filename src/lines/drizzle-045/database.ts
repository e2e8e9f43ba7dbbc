import { and, entityKind, type RelationalSchemaConfig, type SQL, type SQLWrapper, type TablesRelationalConfig } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { PgColumn, PgInsertBuilder, PgTable, PgTransaction, PgUpdateSetSource, SelectedFields } from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { CrateClient } from '../../driver/index.js';
import { runBatch } from '../../dialect/batch.js';
import { copyFrom, copyTo, type CopyFromFileResult, type CopyFromOptions, type CopyToOptions } from '../../dialect/copy.js';
import { refreshTables } from '../../dialect/ddl.js';
import { bulkInsertStatement, runBulk, type BulkInsertOptions, type BulkOptions, type BulkWriteResult } from '../../dialect/bulk.js';
import { unchangedSince, type RowVersion } from '../../dialect/functions/system.js';
import { dialectOf, type PreparableQuery } from '../../dialect/internals.js';
import { iterateSql, type IteratorOptions } from '../../dialect/iterator.js';
import { refuse } from '../../dialect/refusals.js';
import type { CrateDialect } from './dialect.js';
import { CrateInsertBuilder } from './insert.js';
import { columnCasing } from './internals.js';
import { PgDatabase } from './orm.js';
import { CrateRelationalQueryBuilder, resolveRelationalOptions, type RelationalQueryOptions } from './relational/query.js';
import { crateSelectBuilder, crateSelectStarts, type CrateSelectBuilder, type CrateSelectStarts } from './select.js';
import type { CrateQueryResult, CrateQueryResultHKT, CrateSession } from './session.js';

export class CrateDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
  TRelations extends TablesRelationalConfig = Record<string, never>,
> extends PgDatabase<CrateQueryResultHKT, TSchema, TRelations> {
  static override readonly [entityKind]: string = 'CrateDatabase';

  /** The HTTP client this database sends through, as in drizzle-orm's own drivers. */
  declare readonly $client: CrateClient;
  /** @internal */
  declare readonly session: CrateSession<TSchema, TRelations>;

  constructor(
    dialect: CrateDialect,
    session: CrateSession<TSchema, TRelations>,
    schema: RelationalSchemaConfig<TRelations> | undefined,
    relationalQueries: RelationalQueryOptions = {},
  ) {
    super(dialect, session, schema);
    if (!schema) return;
    // pg-core's relational queries are one statement with LATERAL joins and json_agg; CrateDB's load each relation
    // with a statement of its own. The TypeScript types stay pg-core's, so results are typed exactly as documented.
    const options = resolveRelationalOptions(relationalQueries);
    const builders: Record<string, CrateRelationalQueryBuilder> = {};
    for (const [tsName, tableConfig] of Object.entries(schema.schema)) {
      builders[tsName] = new CrateRelationalQueryBuilder({
        relational: schema,
        table: schema.fullSchema[tsName] as PgTable,
        tableConfig,
        dialect,
        session: session as unknown as CrateSession,
        options,
      });
    }
    (this as unknown as { query: Record<string, CrateRelationalQueryBuilder> }).query = builders;
  }

  // The selects below are pg-core's with `.iterator()` added (see ./select.ts): made here rather than by patching
  // drizzle-orm's classes, so that other pg-core databases in the process are left as they are.
  override select(): CrateSelectBuilder<undefined>;
  override select<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override select(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectBuilder(this.session, dialectOf(this), fields, undefined);
  }

  override selectDistinct(): CrateSelectBuilder<undefined>;
  override selectDistinct<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinct(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectBuilder(this.session, dialectOf(this), fields, true);
  }

  override selectDistinctOn(on: (PgColumn | SQLWrapper)[]): CrateSelectBuilder<undefined>;
  override selectDistinctOn<TSelection extends SelectedFields>(on: (PgColumn | SQLWrapper)[], fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinctOn(on: (PgColumn | SQLWrapper)[], fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectBuilder(this.session, dialectOf(this), fields, { on });
  }

  override with(...queries: WithSubquery[]): Omit<ReturnType<PgDatabase<CrateQueryResultHKT>['with']>, keyof CrateSelectStarts> & CrateSelectStarts {
    return { ...super.with(...queries), ...crateSelectStarts(this.session, dialectOf(this), queries) };
  }

  /**
   * `insert(t).values(rows)` as in pg-core, except that a statement longer than CrateDB's `statement_max_length`
   * is sent as several statements of consecutive rows (see {@link PartialInsertError} for a failure part-way).
   */
  override insert<TTable extends PgTable>(table: TTable): PgInsertBuilder<TTable, CrateQueryResultHKT> {
    return new CrateInsertBuilder(table, this.session as never, dialectOf(this)) as unknown as PgInsertBuilder<TTable, CrateQueryResultHKT>;
  }

  /**
   * Inserts many rows with one statement and CrateDB's `bulk_args`, in requests of `chunkSize` rows, and reports
   * each row's outcome: `failed` lists the rows CrateDB refused (duplicate key, failed check, ...) with the reason.
   * Rows are mapped by the table's columns as in `insert()`; every row must set the same columns.
   */
  async bulkInsert<TTable extends PgTable>(
    table: TTable,
    rows: readonly TTable['$inferInsert'][],
    options: BulkInsertOptions = {},
  ): Promise<BulkWriteResult> {
    if (rows.length === 0) return { rowCount: 0, results: [], failed: [] };
    const casing = columnCasing(dialectOf(this));
    const { statement, args } = bulkInsertStatement(table, rows as Record<string, unknown>[], (column) => casing.getColumnCasing(column), options);
    const result = await runBulk(this.$client, statement, args, options);
    await this.refreshIfAsked(table);
    return result;
  }

  /**
   * `COPY table FROM uri [WITH (...)] RETURN SUMMARY`: CrateDB's nodes read the file(s) at `uri` (file://, s3://,
   * https://; globs allowed) into the table. Returns per node and file the rows imported and refused, with the
   * error messages and line numbers. Options use CrateDB's names and are checked before sending.
   */
  async copyFrom(table: PgTable, uri: string | readonly string[], options: CopyFromOptions = {}): Promise<CopyFromFileResult[]> {
    const files = await copyFrom({ dialect: dialectOf(this), client: this.$client, logger: this.session.logger }, table, uri, options);
    await this.refreshIfAsked(table);
    return files;
  }

  /**
   * `COPY table [PARTITION (...)] [(columns)] [WHERE ...] TO DIRECTORY uri [WITH (...)]`: every node writes the rows of
   * its shards as JSON lines into files under `uri` on its own disk. Returns the number of rows exported.
   */
  async copyTo(table: PgTable, uri: string, options: CopyToOptions = {}): Promise<number> {
    return copyTo({ dialect: dialectOf(this), client: this.$client, logger: this.session.logger }, table, uri, options);
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

  private async refreshIfAsked(table: PgTable): Promise<void> {
    if ((this.session as unknown as CrateSession).refreshAfterWrite) await this.refresh(table);
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
    const dialect = dialectOf<CrateDialect>(this);
    return iterateSql<TRow>(this, query, (statement) => dialect.sqlToQuery(statement), options);
  }

  override transaction<T>(
    _transaction: (tx: PgTransaction<CrateQueryResultHKT, TSchema, TRelations>) => Promise<T>,
  ): Promise<T> {
    return Promise.reject(refuse.transactions());
  }
}

export { BatchError } from '../../dialect/batch.js';
export type { CrateQueryResult };
