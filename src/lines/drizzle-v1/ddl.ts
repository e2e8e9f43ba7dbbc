/**
 * CREATE TABLE / DROP TABLE for tables made with crateTable, and the create_all / drop_all / has_table helpers of
 * CrateDB's SQLAlchemy dialect, on Drizzle v1. The SQL is rendered from the table's TableDefinition, the shape the
 * kit stores and diffs too.
 */
import { isView } from 'drizzle-orm';
import type { PgTable, PgView } from 'drizzle-orm/pg-core';
import { createTableSql, dropTableSql } from '../../tables/ddl.js';
import { createTableDefinitions, dropTableDefinitions, tableExists, type Executor } from '../../dialect/ddl.js';
import { describeTable, getCrateTableConfig } from './columns/table.js';
import { createViewStatements, dropViewStatements, runStatements, splitRelations } from '../../dialect/views.js';
import { describeView } from './view.js';

/** `CREATE TABLE [IF NOT EXISTS] ...` for a table made with crateTable. */
export function getCreateTableSql(table: PgTable, options: { ifNotExists?: boolean } = {}): string {
  return createTableSql(describeTable(table), options);
}

/** `DROP TABLE [IF EXISTS] ...`. */
export function getDropTableSql(table: PgTable, options: { ifExists?: boolean } = {}): string {
  return dropTableSql(getCrateTableConfig(table), options);
}

/**
 * Creates the tables, in order (SQLAlchemy's `create_all`), then the views made with crateView, each after the views
 * it reads. Existing tables are left alone unless `ifNotExists: false`, which makes an existing table an error.
 * CrateDB has no CREATE VIEW IF NOT EXISTS: an existing view is replaced (CREATE OR REPLACE VIEW) with the declared
 * query, or, with `ifNotExists: false`, is an error.
 */
export async function createTables(db: Executor, tables: readonly (PgTable | PgView)[], options: { ifNotExists?: boolean } = {}): Promise<void> {
  const split = splitRelations(tables, isView);
  // Views are described (and a cycle refused) before any table is created.
  const views = createViewStatements(split.views.map((view) => describeView(view as PgView)), { orReplace: options.ifNotExists ?? true });
  await createTableDefinitions(db, (split.tables as PgTable[]).map((table) => describeTable(table)), options);
  await runStatements(db, views);
}

/**
 * Drops the views made with crateView (those reading others first), then the tables (SQLAlchemy's `drop_all`):
 * CrateDB drops a table that views read and leaves those views broken. Missing ones are skipped unless
 * `ifExists: false`.
 */
export async function dropTables(db: Executor, tables: readonly (PgTable | PgView)[], options: { ifExists?: boolean } = {}): Promise<void> {
  const split = splitRelations(tables, isView);
  const views = dropViewStatements(split.views.map((view) => describeView(view as PgView)), { ifExists: options.ifExists ?? true });
  const definitions = (split.tables as PgTable[]).map(getCrateTableConfig);
  await runStatements(db, views);
  await dropTableDefinitions(db, definitions, options);
}

/**
 * Whether a table exists (SQLAlchemy's `has_table`). `name` is a table name or a crateTable; the schema defaults to the
 * table's own, else to the connection's default schema.
 */
export async function hasTable(db: Executor, name: string | PgTable, options: { schema?: string } = {}): Promise<boolean> {
  const config = typeof name === 'string' ? { name, schema: options.schema } : getCrateTableConfig(name);
  return tableExists(db, { name: config.name, schema: options.schema ?? config.schema });
}
