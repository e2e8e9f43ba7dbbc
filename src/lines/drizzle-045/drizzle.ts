import { type DrizzleConfig, type ExtractTablesWithRelations, type RelationalSchemaConfig, type TablesRelationalConfig } from 'drizzle-orm';
import type { CrateClient, CrateClientOptions } from '../../driver/index.js';
import { clientAndConfig, installCache, loggerOf } from '../../dialect/drizzle-init.js';
import { CrateDatabase } from './database.js';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from './orm.js';
import { refuseViewRelations } from './relational/views.js';
import { CrateDialect } from './dialect.js';
import type { RelationalQueryOptions } from './relational/query.js';
import { CrateSession } from './session.js';

export interface CrateDrizzleConfig<TSchema extends Record<string, unknown> = Record<string, never>>
  extends DrizzleConfig<TSchema> {
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

export type CrateDrizzleInit<TSchema extends Record<string, unknown>> = CrateDrizzleConfig<TSchema> &
  ({ connection: string | CrateClientOptions; client?: never } | { client: CrateClient; connection?: never });

export type CrateDB<TSchema extends Record<string, unknown> = Record<string, never>> = CrateDatabase<
  TSchema,
  ExtractTablesWithRelations<TSchema>
> & { $client: CrateClient };

/**
 * Creates a Drizzle database over CrateDB's HTTP endpoint, in the same forms as drizzle-orm's own drivers:
 *
 * ```ts
 * drizzle('http://localhost:4200');
 * drizzle({ connection: { servers: ['http://a:4200', 'http://b:4200'], username: 'crate' }, schema, logger: true });
 * drizzle({ client: new CrateClient('crate://localhost:4200') });
 * drizzle(client, { casing: 'snake_case' });
 * ```
 */
export function drizzle<TSchema extends Record<string, unknown> = Record<string, never>>(
  init: string | CrateClient | CrateDrizzleInit<TSchema>,
  config: CrateDrizzleConfig<TSchema> = {},
): CrateDB<TSchema> {
  const resolved = clientAndConfig(init, config, CONFIG_KEYS);
  return construct(resolved.client, resolved.config);
}

const CONFIG_KEYS = ['schema', 'logger', 'casing', 'cache', 'refreshAfterWrite', 'maxStatementLength', 'relationalQueries'] as const;

function construct<TSchema extends Record<string, unknown>>(
  client: CrateClient,
  config: CrateDrizzleConfig<TSchema>,
): CrateDB<TSchema> {
  const dialect = new CrateDialect({ casing: config.casing });

  let schema: RelationalSchemaConfig<TablesRelationalConfig> | undefined;
  if (config.schema) {
    refuseViewRelations(config.schema);
    const tablesConfig = extractTablesRelationalConfig(config.schema, createTableRelationsHelpers);
    schema = { fullSchema: config.schema, schema: tablesConfig.tables, tableNamesMap: tablesConfig.tableNamesMap };
  }

  const session = new CrateSession(client, dialect, {
    logger: loggerOf(config.logger),
    cache: config.cache,
    refreshAfterWrite: config.refreshAfterWrite,
    maxStatementLength: config.maxStatementLength,
  });
  const db = new CrateDatabase(dialect, session, schema as never, config.relationalQueries) as CrateDB<TSchema>;
  (db as { $client: CrateClient }).$client = client;
  installCache(db, config.cache);
  return db;
}
