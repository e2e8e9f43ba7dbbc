import type { AnyRelations, EmptyRelations, Logger } from 'drizzle-orm';
import type { Cache } from 'drizzle-orm/cache/core';
import { CrateClient, type CrateClientOptions } from '../../driver/index.js';
import { CrateConfigError } from '../../shared/errors.js';
import { clientAndConfig, installCache, loggerOf } from '../../dialect/drizzle-init.js';
import { compileRowsMapper } from '../../dialect/row-mapper.js';
import { CrateDatabase } from './database.js';
import { CrateDialect } from './dialect.js';
import { installRelationalQueries, type RelationalQueryOptions } from './relational/query.js';
import { CrateSession } from './session.js';

export interface CrateDrizzleConfig<TRelations extends AnyRelations = EmptyRelations> {
  /** Relations for `db.query`, from `defineRelations(schema, (r) => ...)`. */
  relations?: TRelations;
  logger?: boolean | Logger;
  cache?: Cache;
  /** Put parameter values into DrizzleQueryError messages. Off by default: they may hold personal data. */
  paramsInErrors?: boolean;
  /**
   * Run `REFRESH TABLE` after every insert, update and delete (and bulk insert), so the next query sees the write.
   * Meant for tests and small tools: it costs a refresh per write. Production code should refresh where it needs to
   * (`db.refresh(t)`), or read by primary key, which always sees the latest write.
   */
  refreshAfterWrite?: boolean;
  /** CrateDB's `statement_max_length` if the cluster changed it (default 262144); longer inserts are split. */
  maxStatementLength?: number;
  /** How `db.query.*.findMany({ with })` loads relations: keys per request, concurrency, where limits apply. */
  relationalQueries?: RelationalQueryOptions;
}

export type CrateDrizzleInit<TRelations extends AnyRelations = EmptyRelations> = CrateDrizzleConfig<TRelations> &
  ({ connection: string | CrateClientOptions; client?: never } | { client: CrateClient; connection?: never });

export type CrateDB<TRelations extends AnyRelations = EmptyRelations> = CrateDatabase<TRelations> & { $client: CrateClient };

const CONFIG_KEYS = ['relations', 'logger', 'cache', 'paramsInErrors', 'refreshAfterWrite', 'maxStatementLength', 'relationalQueries'] as const;

/**
 * Creates a Drizzle v1 database over CrateDB's HTTP endpoint, in the same forms as drizzle-orm's own drivers:
 *
 * ```ts
 * drizzle('http://localhost:4200');
 * drizzle({ connection: { servers: ['http://a:4200', 'http://b:4200'] }, relations, logger: true });
 * drizzle({ client: new CrateClient('crate://localhost:4200') });
 * ```
 */
export function drizzle<TRelations extends AnyRelations = EmptyRelations>(
  init: string | CrateClient | CrateDrizzleInit<TRelations>,
  config: CrateDrizzleConfig<TRelations> = {},
): CrateDB<TRelations> {
  // Before the option names are checked, so that 0.45's options get advice rather than "unknown option".
  if (typeof init === 'object' && init !== null && !(init instanceof CrateClient)) checkLineOptions(init);
  checkLineOptions(config);
  const resolved = clientAndConfig(init, config, CONFIG_KEYS);
  return construct(resolved.client, resolved.config);
}

/** Options of the 0.45 line that v1 moved elsewhere: say where, rather than "unknown option". */
function checkLineOptions(config: object): void {
  if ('casing' in config) {
    throw new CrateConfigError(
      "drizzle(): Drizzle v1 has no 'casing' option; casing belongs to the table: snakeCase.table(...) or camelCase.table(...) from 'drizzle-cratedb/v1'",
      'casing',
    );
  }
  if ('schema' in config) {
    throw new CrateConfigError("drizzle(): Drizzle v1 takes { relations } from defineRelations(schema, ...) instead of { schema }", 'schema');
  }
}

function construct<TRelations extends AnyRelations>(client: CrateClient, config: CrateDrizzleConfig<TRelations>): CrateDB<TRelations> {
  const dialect = new CrateDialect();
  // One owner for value conversion: the transport decodes by CrateDB's column types and columns narrow to their
  // mode; drizzle's row mappers are replaced by the same compiled mapper the 0.45 line uses.
  (dialect as { mapperGenerators: object }).mapperGenerators = {
    ...dialect.mapperGenerators,
    rows: ((fields: Parameters<typeof compileRowsMapper>[0], nullable?: readonly string[]) =>
      compileRowsMapper(fields, nullable?.length ? new Set(nullable) : undefined)) as never,
  };
  const relations = (config.relations ?? {}) as TRelations;
  const session = new CrateSession<TRelations>(client, dialect, {
    logger: loggerOf(config.logger),
    cache: config.cache,
    refreshAfterWrite: config.refreshAfterWrite,
    maxStatementLength: config.maxStatementLength,
    paramsInErrors: config.paramsInErrors,
  });
  const db = new CrateDatabase<TRelations>(dialect, session as never, relations) as CrateDB<TRelations>;
  installRelationalQueries(db, relations, dialect, session, config.relationalQueries);
  (db as { $client: CrateClient }).$client = client;
  installCache(db, config.cache);
  return db;
}
