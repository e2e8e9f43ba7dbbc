/**
 * CREATE TABLE / DROP TABLE for tables made with crateTable, and the create_all / drop_all / has_table helpers of
 * CrateDB's SQLAlchemy dialect. The SQL is rendered from the table's {@link TableDefinition}, the shape the kit
 * stores and diffs too.
 */
import { sql, type Casing } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { getCrateTableConfig } from '../columns/table.js';
import type { CrateDatabase } from './database.js';
import type { CrateDialect } from './dialect.js';
import { dialectOf } from './drizzle-internals.js';
import { createTableSql, describeTable, dropTableSql } from './table-definition.js';

export interface DdlOptions {
  /** Applies the same column-name casing as `drizzle({ casing })`. */
  casing?: Casing;
}

/** `CREATE TABLE [IF NOT EXISTS] ...` for a table made with crateTable. */
export function getCreateTableSql(table: PgTable, options: DdlOptions & { ifNotExists?: boolean } = {}): string {
  return createTableSql(describeTable(table, options), options);
}

/** `DROP TABLE [IF EXISTS] ...`. */
export function getDropTableSql(table: PgTable, options: { ifExists?: boolean } = {}): string {
  return dropTableSql(getCrateTableConfig(table), options);
}

/**
 * Creates the tables, in order (SQLAlchemy's `create_all`). Existing tables are left alone unless
 * `ifNotExists: false`, which makes an existing table an error.
 */
export async function createTables(db: CrateDatabase<any, any>, tables: readonly PgTable[], options: { ifNotExists?: boolean } = {}): Promise<void> {
  const dialect = dialectOf<CrateDialect>(db);
  const statements = tables.map((table) => createTableSql(describeTable(table, { dialect }), { ifNotExists: options.ifNotExists ?? true }));
  for (const statement of statements) await db.execute(sql.raw(statement));
}

/** Drops the tables (SQLAlchemy's `drop_all`); missing tables are skipped unless `ifExists: false`. */
export async function dropTables(db: CrateDatabase<any, any>, tables: readonly PgTable[], options: { ifExists?: boolean } = {}): Promise<void> {
  const statements = tables.map((table) => getDropTableSql(table, { ifExists: options.ifExists ?? true }));
  for (const statement of statements) await db.execute(sql.raw(statement));
}

/**
 * Whether a table exists (SQLAlchemy's `has_table`). `name` is a table name or a crateTable; the schema defaults to the
 * table's own, else to the connection's default schema.
 */
export async function hasTable(db: CrateDatabase<any, any>, name: string | PgTable, options: { schema?: string } = {}): Promise<boolean> {
  const config = typeof name === 'string' ? { name, schema: options.schema } : getCrateTableConfig(name);
  const schema = options.schema ?? config.schema;
  const schemaCondition = schema === undefined ? sql`current_schema()` : sql`${schema}`;
  const result = await db.execute<{ n: number }>(
    sql`select count(*) as n from information_schema.tables where table_name = ${config.name} and table_schema = ${schemaCondition}`,
  );
  return Number(result.rows[0]?.n) > 0;
}


