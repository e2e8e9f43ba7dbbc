/**
 * drizzle-cratedb for drizzle-orm 0.45. Its first import checks the installed drizzle-orm, so importing this entry
 * next to drizzle-orm 1.x fails with an error naming the entry to use.
 */
import './orm.js';

export * from '../../dialect/public.js';
export * from './columns/index.js';
export { CrateDatabase } from './database.js';
export { PartialInsertError } from './insert.js';
export { createTables, dropTables, getCreateTableSql, getDropTableSql, hasTable, type DdlOptions } from './ddl.js';
export { CrateDialect } from './dialect.js';
export { crateView, CrateManualViewBuilder, CrateViewBuilder, describeView, isCrateView, type CrateViewFn } from './view.js';
export type { CrateSelect, CrateSelectBase, CrateSelectBuilder, CrateSelectFrom, CrateSelectHKT } from './select.js';
export { drizzle, type CrateDB, type CrateDrizzleConfig, type CrateDrizzleInit } from './drizzle.js';
export { CratePreparedQuery, CrateSession, DEFAULT_MAX_STATEMENT_LENGTH, type CrateQueryResultHKT } from './session.js';
export {
  CrateRelationalPreparedQuery,
  CrateRelationalQuery,
  CrateRelationalQueryBuilder,
  DEFAULT_KEYS_PER_REQUEST,
  type RelationalQueryOptions,
} from './relational/query.js';
// pg-core's table extras work unchanged on crateTable.
export { check, primaryKey } from 'drizzle-orm/pg-core';
