/**
 * What both lines' sessions take and do alike: their options, CrateDB's statement length limit, and the refresh
 * after a write when `refreshAfterWrite` asks for it.
 */
import type { Logger } from 'drizzle-orm';
import type { Cache } from 'drizzle-orm/cache/core';
import type { CrateClient } from '../driver/index.js';
import { refreshTableSql } from '../shared/sql-text.js';
import { tablesFromMetadata } from './query-result.js';

/** CrateDB's default `statement_max_length`. */
export const DEFAULT_MAX_STATEMENT_LENGTH = 262_144;

export interface CrateSessionOptions {
  logger?: Logger | undefined;
  cache?: Cache | undefined;
  /** Issue `REFRESH TABLE` after every insert, update and delete built with the query builders. For tests and tools. */
  refreshAfterWrite?: boolean | undefined;
  /** CrateDB's `statement_max_length` (default 262144 characters); longer multi-row inserts are split. */
  maxStatementLength?: number | undefined;
}

/** `REFRESH TABLE` for the tables of drizzle's query metadata (`name` or `schema.name`), logged; none: nothing sent. */
export async function refreshWrittenTables(client: CrateClient, logger: Logger, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  const statement = refreshTableSql(tablesFromMetadata(tables));
  logger.logQuery(statement, []);
  await client.sql(statement, [], { idempotent: true });
}
