/**
 * CREATE TABLE / DROP TABLE for tables made with crateTable, and the create_all / drop_all / has_table helpers of
 * CrateDB's SQLAlchemy dialect, on Drizzle v1. The SQL is rendered from the table's TableDefinition, the shape the
 * kit stores and diffs too.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { createTableSql, dropTableSql } from '../../tables/ddl.js';
import { createTableDefinitions, dropTableDefinitions, tableExists, type Executor } from '../../dialect/ddl.js';
import { describeTable, getCrateTableConfig } from './columns/table.js';

/** `CREATE TABLE [IF NOT EXISTS] ...` for a table made with crateTable. */
export function getCreateTableSql(table: PgTable, options: { ifNotExists?: boolean } = {}): string {
  return createTableSql(describeTable(table), options);
}

/** `DROP TABLE [IF EXISTS] ...`. */
export function getDropTableSql(table: PgTable, options: { ifExists?: boolean } = {}): string {
  return dropTableSql(getCrateTableConfig(table), options);
}

/**
 * Creates the tables, in order (SQLAlchemy's `create_all`). Existing tables are left alone unless
 * `ifNotExists: false`, which makes an existing table an error.
 */
export async function createTables(db: Executor, tables: readonly PgTable[], options: { ifNotExists?: boolean } = {}): Promise<void> {
  await createTableDefinitions(db, tables.map((table) => describeTable(table)), options);
}

/** Drops the tables (SQLAlchemy's `drop_all`); missing tables are skipped unless `ifExists: false`. */
export async function dropTables(db: Executor, tables: readonly PgTable[], options: { ifExists?: boolean } = {}): Promise<void> {
  await dropTableDefinitions(db, tables.map(getCrateTableConfig), options);
}

/**
 * Whether a table exists (SQLAlchemy's `has_table`). `name` is a table name or a crateTable; the schema defaults to the
 * table's own, else to the connection's default schema.
 */
export async function hasTable(db: Executor, name: string | PgTable, options: { schema?: string } = {}): Promise<boolean> {
  const config = typeof name === 'string' ? { name, schema: options.schema } : getCrateTableConfig(name);
  return tableExists(db, { name: config.name, schema: options.schema ?? config.schema });
}
