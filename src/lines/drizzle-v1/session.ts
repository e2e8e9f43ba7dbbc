/**
 * The session of Drizzle v1 over CrateClient. A v1 session only turns a built query into drizzle's own
 * PgAsyncPreparedQuery with an executor: placeholders, logging, the cache, error wrapping and row mapping are
 * drizzle's. The executor sends the statement and answers in the mode drizzle asks for.
 */
import { entityKind, NoopLogger, type AnyRelations, type EmptyRelations, type Logger, type Query } from 'drizzle-orm';
import type { Cache } from 'drizzle-orm/cache/core';
import type { QueryMetadata, WithCacheConfig } from 'drizzle-orm/cache/core/types';
import type { PgAsyncTransaction, PgQueryResultHKT, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { CrateClient, SqlResult } from '../../driver/index.js';
import { rowsAsObjects, toQueryResult, type CrateQueryResult } from '../../dialect/query-result.js';
import { DEFAULT_MAX_STATEMENT_LENGTH, refreshWrittenTables, type CrateSessionOptions as CommonSessionOptions } from '../../dialect/session-options.js';
import { refuse } from '../../dialect/refusals.js';
import type { CrateDialect } from './dialect.js';
import { PgAsyncPreparedQuery, PgAsyncSession } from './orm.js';

export type { CrateQueryResult };

export interface CrateQueryResultHKT extends PgQueryResultHKT {
  type: CrateQueryResult<this['row'] extends Record<string, unknown> ? this['row'] : Record<string, unknown>>;
}

export interface CrateSessionOptions extends CommonSessionOptions {
  /** Put parameter values into DrizzleQueryError messages (drizzle v1's option; off: they may hold personal data). */
  paramsInErrors?: boolean | undefined;
}

export { DEFAULT_MAX_STATEMENT_LENGTH };

type Mode = 'arrays' | 'objects' | 'raw';

export class CrateSession<TRelations extends AnyRelations = EmptyRelations> extends PgAsyncSession<CrateQueryResultHKT, TRelations> {
  static override readonly [entityKind]: string = 'CrateSession';

  readonly logger: Logger;
  private readonly cache: Cache | undefined;
  readonly refreshAfterWrite: boolean;
  readonly maxStatementLength: number;
  private readonly paramsInErrors: boolean;

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
    this.paramsInErrors = options.paramsInErrors ?? false;
  }

  prepareQuery<T extends PreparedQueryConfig = PreparedQueryConfig>(
    query: Query,
    mode: Mode,
    _name: string | boolean,
    mapper?: (rows: any[]) => any,
    queryMetadata?: QueryMetadata,
    cacheConfig?: WithCacheConfig,
  ): PgAsyncPreparedQuery<T> {
    const refresh = this.refreshAfterWrite && queryMetadata !== undefined && queryMetadata.type !== 'select' ? queryMetadata : undefined;
    const executor = async (params?: unknown[]): Promise<unknown> => {
      const result = await this.client.sql(query.sql, params);
      if (refresh) await refreshWrittenTables(this.client, this.logger, refresh.tables());
      return answer(result, mode);
    };
    return new PgAsyncPreparedQuery<T>(executor, query, mapper, mode, this.logger, this.cache, queryMetadata, cacheConfig, this.paramsInErrors);
  }

  override transaction<T>(_transaction: (tx: PgAsyncTransaction<CrateQueryResultHKT, TRelations>) => Promise<T>): Promise<T> {
    return Promise.reject(refuse.transactions());
  }
}

/** The executor's answer in each of drizzle's modes: positional rows, row objects, or the driver's own result. */
function answer(result: SqlResult, mode: Mode): unknown {
  switch (mode) {
    case 'arrays':
      return result.rows;
    case 'objects':
      return rowsAsObjects(result);
    case 'raw':
      return toQueryResult(result);
  }
}
