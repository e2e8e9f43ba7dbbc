import {
  DrizzleQueryError,
  entityKind,
  fillPlaceholders,
  NoopLogger,
  type Logger,
  type Query,
  type SQL,
  type TablesRelationalConfig,
} from 'drizzle-orm';
import type { Cache } from 'drizzle-orm/cache/core';
import type { WithCacheConfig } from 'drizzle-orm/cache/core/types';
import {
  PgSession,
  type PgQueryResultHKT,
  type PgTransaction,
  type PreparedQueryConfig,
  type SelectedFieldsOrdered,
} from 'drizzle-orm/pg-core';
import type { CrateClient, SqlResult } from '../../driver/index.js';
import { rowsAsObjects, toQueryResult, type CrateQueryResult } from '../../dialect/query-result.js';
import { DEFAULT_MAX_STATEMENT_LENGTH, refreshWrittenTables, type CrateSessionOptions } from '../../dialect/session-options.js';
import { refuse } from '../../dialect/refusals.js';
import { compileRowsMapper, nullableObjects } from '../../dialect/row-mapper.js';
import type { CrateDialect } from './dialect.js';
import type { PreparedQueryInternals } from './internals.js';
import { PgPreparedQuery } from './orm.js';

export type { CrateQueryResult };

export interface CrateQueryResultHKT extends PgQueryResultHKT {
  type: CrateQueryResult<this['row'] extends Record<string, unknown> ? this['row'] : Record<string, unknown>>;
}

export { DEFAULT_MAX_STATEMENT_LENGTH, type CrateSessionOptions };

type QueryMetadata = { type: 'select' | 'update' | 'delete' | 'insert'; tables: string[] };
type ResultMapper<T extends PreparedQueryConfig> = (rows: unknown[][], mapColumnValue?: (value: unknown) => unknown) => T['execute'];

export class CratePreparedQuery<T extends PreparedQueryConfig = PreparedQueryConfig> extends PgPreparedQuery<T> {
  static override readonly [entityKind]: string = 'CratePreparedQuery';

  constructor(
    private readonly client: CrateClient,
    query: Query,
    private readonly logger: Logger,
    private readonly refreshAfterWrite: boolean,
    cache: Cache | undefined,
    private readonly metadata: QueryMetadata | undefined,
    cacheConfig: WithCacheConfig | undefined,
    private readonly fields: SelectedFieldsOrdered | undefined,
    private readonly arrayMode: boolean,
    private readonly customResultMapper: ResultMapper<T> | undefined,
  ) {
    super(query, cache, metadata, cacheConfig);
  }

  private rowsMapper: ((rows: unknown[][]) => Record<string, unknown>[]) | undefined;

  async execute(placeholderValues: Record<string, unknown> = {}): Promise<T['execute']> {
    const result = await this.send(placeholderValues);
    if (this.refreshAfterWrite && this.metadata && this.metadata.type !== 'select') {
      await refreshWrittenTables(this.client, this.logger, this.metadata.tables);
    }
    return this.mapResult(result, false) as T['execute'];
  }

  /** Rows as objects, whatever the query selected. */
  async all(placeholderValues: Record<string, unknown> = {}): Promise<T['all']> {
    const result = await this.send(placeholderValues);
    return rowsAsObjects(result) as T['all'];
  }

  /** Rows as arrays, as CrateDB sent them (after wire decoding). */
  async values(placeholderValues: Record<string, unknown> = {}): Promise<T['values']> {
    const result = await this.send(placeholderValues);
    return result.rows as T['values'];
  }

  override mapResult(response: unknown, _isFromBatch?: boolean): unknown {
    const result = response as SqlResult;
    if (this.customResultMapper) return this.customResultMapper(result.rows);
    if (this.fields) {
      // Compiled on first use: pg-core sets joinsNotNullableMap after constructing the prepared query.
      this.rowsMapper ??= compileRowsMapper(this.fields, nullableObjects(this.fields, (this as PreparedQueryInternals).joinsNotNullableMap));
      return this.rowsMapper(result.rows);
    }
    return toQueryResult(result);
  }

  /** @internal used by Drizzle's relational query builder */
  isResponseInArrayMode(): boolean {
    return this.arrayMode;
  }

  private async send(placeholderValues: Record<string, unknown>): Promise<SqlResult> {
    const { sql, params } = this.query;
    const args = fillPlaceholders(params, placeholderValues);
    this.logger.logQuery(sql, args);
    const run = () => this.client.sql(sql, args);
    // pg-core's queryWithCache serves Drizzle's cache; it wraps failures in DrizzleQueryError, whose message prints
    // every parameter value. CrateDBError carries the statement without the values, so it is rethrown as is.
    const withCache = (this as unknown as { queryWithCache?: (s: string, p: unknown[], q: () => Promise<SqlResult>) => Promise<SqlResult> })
      .queryWithCache;
    if (!withCache) return run();
    try {
      return await withCache.call(this, sql, args, run);
    } catch (error) {
      throw error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
    }
  }
}

export class CrateSession<
  TFullSchema extends Record<string, unknown> = Record<string, never>,
  TSchema extends TablesRelationalConfig = Record<string, never>,
> extends PgSession<CrateQueryResultHKT, TFullSchema, TSchema> {
  static override readonly [entityKind]: string = 'CrateSession';

  readonly logger: Logger;
  private readonly cache: Cache | undefined;
  readonly refreshAfterWrite: boolean;
  readonly maxStatementLength: number;

  constructor(
    readonly client: CrateClient,
    dialect: CrateDialect,
    options: CrateSessionOptions = {},
  ) {
    super(dialect);
    this.logger = options.logger ?? new NoopLogger();
    this.cache = options.cache;
    this.refreshAfterWrite = options.refreshAfterWrite ?? false;
    this.maxStatementLength = options.maxStatementLength ?? DEFAULT_MAX_STATEMENT_LENGTH;
  }

  prepareQuery<T extends PreparedQueryConfig = PreparedQueryConfig>(
    query: Query,
    fields: SelectedFieldsOrdered | undefined,
    _name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: ResultMapper<T>,
    queryMetadata?: QueryMetadata,
    cacheConfig?: WithCacheConfig,
  ): PgPreparedQuery<T> {
    return new CratePreparedQuery<T>(
      this.client,
      query,
      this.logger,
      this.refreshAfterWrite,
      this.cache,
      queryMetadata,
      cacheConfig,
      fields,
      isResponseInArrayMode,
      customResultMapper,
    );
  }

  /** `$count()` reads the first row's `count`; the base class expects pg's row-array result shape. */
  override async count(query: SQL): Promise<number> {
    const result = (await this.execute<CrateQueryResult>(query)) as CrateQueryResult;
    return Number(result.rows[0]?.['count']);
  }

  override transaction<T>(
    _transaction: (tx: PgTransaction<CrateQueryResultHKT, TFullSchema, TSchema>) => Promise<T>,
  ): Promise<T> {
    return Promise.reject(refuse.transactions());
  }
}
