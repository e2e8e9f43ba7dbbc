export { BatchError, CrateDatabase } from './database.js';
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
export { CratePreparedQuery, CrateSession, type CrateQueryResult, type CrateQueryResultHKT } from './session.js';
