export { BatchError, CrateDatabase } from './database.js';
export { DEFAULT_BULK_CHUNK, type BulkFailure, type BulkInsertOptions, type BulkOptions, type BulkProgress, type BulkWriteResult } from './bulk.js';
export { PartialInsertError } from './insert.js';
export { createTables, dropTables, getCreateTableSql, getDropTableSql, hasTable, type DdlOptions } from './ddl.js';
export {
  columnDefinitionSql,
  createTableSql,
  describeTable,
  dropTableSql,
  literal,
  qualifiedName,
  quote,
  typeSql,
  type ColumnDefinition,
  type ColumnType,
  type TableDefinition,
} from './table-definition.js';
export { CrateDialect } from './dialect.js';
export { drizzle, type CrateDB, type CrateDrizzleConfig, type CrateDrizzleInit } from './driver.js';
export { CrateSchemaError, CrateUnsupportedError } from './errors.js';
export { CratePreparedQuery, CrateSession, DEFAULT_MAX_STATEMENT_LENGTH, type CrateQueryResult, type CrateQueryResultHKT } from './session.js';
export {
  CrateRelationalPreparedQuery,
  CrateRelationalQuery,
  CrateRelationalQueryBuilder,
  DEFAULT_KEYS_PER_REQUEST,
  type RelationalQueryOptions,
} from './relational/query.js';
