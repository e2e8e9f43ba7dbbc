/**
 * The create_all / drop_all / has_table helpers of CrateDB's SQLAlchemy dialect, for tables of either line: each
 * line's module describes its tables (with the casing of its database) and hands the definitions here.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { CrateArgumentError } from '../shared/errors.js';
import { createTableSql, dropTableSql } from '../tables/ddl.js';
import type { TableDefinition } from '../columns/definition.js';
import type { CrateQueryResult } from './query-result.js';

/** The one thing these helpers need of a database: running a statement. */
export interface Executor {
  execute(query: SQL): PromiseLike<unknown>;
}

/** `db.refresh(...tables)` on either line: one `REFRESH TABLE` for them all, each table named as the dialect writes it. */
export async function refreshTables(db: Executor, tables: readonly object[]): Promise<void> {
  if (tables.length === 0) throw new CrateArgumentError('db.refresh() needs at least one table');
  await db.execute(sql`refresh table ${sql.join(tables as SQLWrapper[], sql`, `)}`);
}

export async function createTableDefinitions(db: Executor, tables: readonly TableDefinition[], options: { ifNotExists?: boolean } = {}): Promise<void> {
  // Every statement is rendered (and every table checked) before the first is sent.
  const statements = tables.map((table) => createTableSql(table, { ifNotExists: options.ifNotExists ?? true }));
  for (const statement of statements) await db.execute(sql.raw(statement));
}

export async function dropTableDefinitions(
  db: Executor,
  tables: readonly Pick<TableDefinition, 'name' | 'schema'>[],
  options: { ifExists?: boolean } = {},
): Promise<void> {
  const statements = tables.map((table) => dropTableSql(table, { ifExists: options.ifExists ?? true }));
  for (const statement of statements) await db.execute(sql.raw(statement));
}

/** Whether a table exists; without a schema, in the connection's default schema. */
export async function tableExists(db: Executor, table: { name: string; schema?: string | undefined }): Promise<boolean> {
  const schemaCondition = table.schema === undefined ? sql`current_schema()` : sql`${table.schema}`;
  const result = (await db.execute(
    sql`select count(*) as n from information_schema.tables where table_name = ${table.name} and table_schema = ${schemaCondition}`,
  )) as CrateQueryResult<{ n: number }>;
  return Number(result.rows[0]?.n) > 0;
}
