/**
 * CREATE TABLE / DROP TABLE text for tables made with crateTable, and the create_all / drop_all / has_table helpers
 * of CrateDB's SQLAlchemy dialect. The text follows CrateDB's grammar clause by clause (column: type, DEFAULT,
 * GENERATED, NOT NULL, INDEX, STORAGE; then the named indexes, the primary key and the checks), as SHOW CREATE TABLE
 * prints it, so a generated table and the server's description of it read alike.
 */
import { is, sql, SQL, type Casing } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { CrateArray } from '../columns/array.js';
import type { CrateColumn, CrateColumnIndex } from '../columns/common.js';
import { CrateObject } from '../columns/object.js';
import { getCrateTableConfig, type CrateTableConfig } from '../columns/table.js';
import type { TableSettingValue } from '../columns/table-options.js';
import type { CrateDatabase } from './database.js';
import { CrateDialect } from './dialect.js';
import { columnCasing } from './drizzle-internals.js';

export interface DdlOptions {
  /** Applies the same column-name casing as `drizzle({ casing })`. */
  casing?: Casing;
}

const dialects = new Map<Casing | undefined, CrateDialect>();
function dialectFor(casing: Casing | undefined): CrateDialect {
  let dialect = dialects.get(casing);
  if (!dialect) dialects.set(casing, (dialect = new CrateDialect({ casing })));
  return dialect;
}

/** `CREATE TABLE [IF NOT EXISTS] ...` for a table made with crateTable. */
export function getCreateTableSql(table: PgTable, options: DdlOptions & { ifNotExists?: boolean } = {}): string {
  const config = getCrateTableConfig(table);
  const writer = new DdlWriter(dialectFor(options.casing));
  return writer.createTable(config, options.ifNotExists ?? false);
}

/** `DROP TABLE [IF EXISTS] ...`. */
export function getDropTableSql(table: PgTable, options: { ifExists?: boolean } = {}): string {
  const config = getCrateTableConfig(table);
  return `DROP TABLE ${options.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(config)}`;
}

/** The quoted, schema-qualified (when a schema was given) name of a table. */
export function qualifiedName(config: Pick<CrateTableConfig, 'name' | 'schema'>): string {
  return config.schema ? `${quote(config.schema)}.${quote(config.name)}` : quote(config.name);
}

/**
 * Creates the tables, in order (SQLAlchemy's `create_all`). Existing tables are left alone unless
 * `ifNotExists: false`, which makes an existing table an error.
 */
export async function createTables(db: CrateDatabase<any, any>, tables: readonly PgTable[], options: { ifNotExists?: boolean } = {}): Promise<void> {
  const casing = casingOf(db);
  const statements = tables.map((table) => getCreateTableSql(table, { casing, ifNotExists: options.ifNotExists ?? true }));
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

function casingOf(db: CrateDatabase<any, any>): Casing | undefined {
  const cache = (db as unknown as { dialect?: { casing?: { config?: Casing; casing?: Casing } } }).dialect?.casing;
  return cache?.casing ?? cache?.config;
}

/** Writes DDL for one dialect (and so one casing). */
class DdlWriter {
  constructor(private readonly dialect: CrateDialect) {}

  createTable(config: CrateTableConfig, ifNotExists: boolean): string {
    const elements = config.columns.map((column) => this.columnDefinition(column, this.columnName(column)));
    for (const index of config.fulltextIndexes) {
      const columns = index.columns.map((column) => (is(column, SQL) ? this.expression(column) : quote(this.columnName(column))));
      elements.push(`INDEX ${quote(index.name)} USING FULLTEXT (${columns.join(', ')})${analyzerClause(index.analyzer)}`);
    }
    if (config.primaryKey) {
      const columns = config.primaryKey.columns.map((column) => quote(this.columnName(column))).join(', ');
      elements.push(`${config.primaryKey.name ? `CONSTRAINT ${quote(config.primaryKey.name)} ` : ''}PRIMARY KEY (${columns})`);
    }
    for (const check of config.checks) {
      elements.push(`${check.name ? `CONSTRAINT ${quote(check.name)} ` : ''}CHECK (${this.expression(check.expression)})`);
    }

    const clauses: string[] = [];
    if (config.clusteredBy) {
      const { column, shards } = config.clusteredBy;
      clauses.push(
        `CLUSTERED${column ? ` BY (${quote(this.columnName(column))})` : ''}${shards !== undefined ? ` INTO ${shards} SHARDS` : ''}`,
      );
    }
    if (config.partitionedBy.length) {
      clauses.push(`PARTITIONED BY (${config.partitionedBy.map((column) => quote(this.columnName(column))).join(', ')})`);
    }
    const settings = Object.entries(config.settings);
    if (settings.length) clauses.push(`WITH (${settings.map(([key, value]) => `${settingKey(key)} = ${settingValue(value)}`).join(', ')})`);

    const head = `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(config)}`;
    return `${head} (\n  ${elements.join(',\n  ')}\n)${clauses.map((clause) => `\n${clause}`).join('')}`;
  }

  /** `"name" TYPE [DEFAULT ..] [GENERATED ALWAYS AS (..)] [NOT NULL] [INDEX ..] [STORAGE WITH (..)]` */
  private columnDefinition(column: CrateColumn, name: string): string {
    const parts = [quote(name), this.typeOf(column)];
    if (column.default !== undefined) parts.push(`DEFAULT ${this.defaultValue(column)}`);
    if (column.generated) {
      const { as } = column.generated;
      const expression = typeof as === 'function' ? (as as () => SQL)() : as;
      parts.push(`GENERATED ALWAYS AS (${is(expression, SQL) ? this.expression(expression) : literal(column.mapToDriverValue(expression))})`);
    }
    if (column.notNull && !column.primary) parts.push('NOT NULL');
    if (column.crate.index) parts.push(indexClause(column.crate.index));
    if (column.crate.columnstore === false) parts.push('STORAGE WITH (columnstore = false)');
    return parts.join(' ');
  }

  private typeOf(column: CrateColumn): string {
    if (column instanceof CrateArray) return `ARRAY(${this.typeOf(column.element)})`;
    if (column instanceof CrateObject) {
      const subColumns = Object.values(column.columns).map((sub) => this.columnDefinition(sub, sub.name));
      const object = `OBJECT(${column.policy.toUpperCase()})${subColumns.length ? ` AS (${subColumns.join(', ')})` : ''}`;
      return column.isArray ? `ARRAY(${object})` : object;
    }
    return column.getSQLType();
  }

  private defaultValue(column: CrateColumn): string {
    const value = column.default;
    if (is(value, SQL)) return this.expression(value);
    return literal(column.mapToDriverValue(value));
  }

  /** An expression in DDL: columns by bare name, values inlined (DDL has no parameters). */
  private expression(expression: SQL): string {
    return this.dialect.sqlToQuery(sql`${expression}`.inlineParams(), 'indexes').sql;
  }

  private columnName(column: CrateColumn): string {
    return columnCasing(this.dialect).getColumnCasing(column);
  }
}

function indexClause(index: CrateColumnIndex): string {
  switch (index.method) {
    case 'off':
      return 'INDEX OFF';
    case 'plain':
      return 'INDEX USING PLAIN';
    case 'fulltext':
      return `INDEX USING FULLTEXT${analyzerClause(index.analyzer)}`;
    default: {
      const options: string[] = [];
      if (index.precision !== undefined) options.push(`precision = ${literal(index.precision)}`);
      if (index.distanceErrorPct !== undefined) options.push(`distance_error_pct = ${index.distanceErrorPct}`);
      if (index.treeLevels !== undefined) options.push(`tree_levels = ${index.treeLevels}`);
      return `INDEX USING ${index.method.toUpperCase()}${options.length ? ` WITH (${options.join(', ')})` : ''}`;
    }
  }
}

function analyzerClause(analyzer: string | undefined): string {
  return analyzer === undefined ? '' : ` WITH (analyzer = ${literal(analyzer)})`;
}

/** Setting names with dots must be quoted ("Nested parameters ... need to be wrapped in double quotes"). */
function settingKey(key: string): string {
  return key.includes('.') ? quote(key) : key;
}

function settingValue(value: TableSettingValue): string {
  return literal(value);
}

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** A value as a CrateDB literal: strings quoted, arrays `[...]`, objects `{"key" = value}`. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as a SQL literal`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      if (value instanceof Date) return String(value.getTime());
      if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
      if (typeof value === 'object') {
        return `{${Object.entries(value as Record<string, unknown>)
          .map(([key, item]) => `${quote(key)} = ${literal(item)}`)
          .join(', ')}}`;
      }
      throw new TypeError(`cannot write a ${typeof value} as a SQL literal`);
  }
}
