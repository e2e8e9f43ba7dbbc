/**
 * A table's CrateDB definition as plain, JSON-ready data: every expression already rendered to SQL text, every
 * column named as it is in the database. It is the one shape that DDL generation renders, that the kit stores in
 * snapshots and diffs, and that introspection of a live database produces, so the three cannot disagree.
 */
import { is, sql, SQL, type Casing } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { CrateArray } from '../columns/array.js';
import type { CrateColumn, CrateColumnIndex } from '../columns/common.js';
import { CrateObject, type ObjectPolicy } from '../columns/object.js';
import { getCrateTableConfig } from '../columns/table.js';
import { CrateSchemaError } from './errors.js';
import type { TableSettingValue } from '../columns/table-options.js';
import { CrateDialect } from './dialect.js';
import { columnCasing } from './drizzle-internals.js';
import { literal, quote } from './sql-text.js';

export { literal, quote };

export type ColumnType =
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'object'; readonly policy: ObjectPolicy; readonly columns: readonly ColumnDefinition[] };

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  /** SQL text of the DEFAULT expression. */
  readonly default?: string;
  /** SQL text of the GENERATED ALWAYS AS expression. */
  readonly generated?: string;
  readonly index?: CrateColumnIndex;
  /** `false` for `STORAGE WITH (columnstore = false)`; absent means CrateDB's default (on). */
  readonly columnstore?: false;
}

export interface TableDefinition {
  /** Absent: the connection's default schema (`doc` unless configured). */
  readonly schema?: string;
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey?: { readonly name?: string; readonly columns: readonly string[] };
  readonly checks: readonly { readonly name?: string; readonly expression: string }[];
  readonly fulltextIndexes: readonly { readonly name: string; readonly columns: readonly string[]; readonly analyzer?: string }[];
  readonly clusteredBy?: { readonly column?: string; readonly shards?: number };
  readonly partitionedBy: readonly string[];
  readonly settings: Readonly<Record<string, TableSettingValue>>;
}

/** Describes a table made with crateTable; `casing` must match the one given to `drizzle()`. */
export function describeTable(table: PgTable, options: { casing?: Casing | undefined; dialect?: CrateDialect } = {}): TableDefinition {
  const config = getCrateTableConfig(table);
  // A fresh dialect unless one is given: drizzle's casing cache remembers a table's columns by schema and name, so a
  // shared one would answer for an earlier, different table of the same name.
  const dialect = options.dialect ?? new CrateDialect({ casing: options.casing });
  const casing = columnCasing(dialect);
  const nameOf = (column: CrateColumn) => casing.getColumnCasing(column);
  const expression = (value: SQL) => dialect.sqlToQuery(sql`${value}`.inlineParams(), 'indexes').sql;

  const describeColumn = (column: CrateColumn, name: string): ColumnDefinition => {
    const definition: { -readonly [K in keyof ColumnDefinition]: ColumnDefinition[K] } = {
      name,
      type: typeOf(column),
      notNull: column.notNull || column.primary,
    };
    if (column.default !== undefined) {
      definition.default = is(column.default, SQL) ? expression(column.default) : literal(column.mapToDriverValue(column.default));
    }
    if (column.generated) {
      const { as } = column.generated;
      const value = typeof as === 'function' ? (as as () => SQL)() : as;
      definition.generated = is(value, SQL) ? expression(value) : literal(column.mapToDriverValue(value));
    }
    if (column.crate.index) definition.index = column.crate.index;
    if (column.crate.columnstore === false) definition.columnstore = false;
    return definition;
  };
  const typeOf = (column: CrateColumn): ColumnType => {
    if (column instanceof CrateArray) return { kind: 'array', element: typeOf(column.element) };
    if (column instanceof CrateObject) {
      const object: ColumnType = {
        kind: 'object',
        policy: column.policy,
        // Sub-column names are document keys: casing does not apply to them.
        columns: Object.values(column.columns).map((sub) => describeColumn(sub, sub.name)),
      };
      return column.isArray ? { kind: 'array', element: object } : object;
    }
    return { kind: 'scalar', name: column.getSQLType() };
  };

  const definition: { -readonly [K in keyof TableDefinition]: TableDefinition[K] } = {
    name: config.name,
    columns: config.columns.map((column) => describeColumn(column, nameOf(column))),
    checks: config.checks.map((check) => withOptional({ expression: expression(check.expression) }, 'name', check.name)),
    fulltextIndexes: config.fulltextIndexes.map((index) =>
      withOptional(
        { name: index.name, columns: index.columns.map((column) => (is(column, SQL) ? expression(column) : quote(nameOf(column)))) },
        'analyzer',
        index.analyzer,
      ),
    ),
    partitionedBy: config.partitionedBy.map(nameOf),
    settings: { ...config.settings },
  };
  if (config.schema !== undefined) definition.schema = config.schema;
  if (config.primaryKey) {
    definition.primaryKey = withOptional({ columns: config.primaryKey.columns.map(nameOf) }, 'name', config.primaryKey.name);
  }
  if (config.clusteredBy) {
    const { column, shards } = config.clusteredBy;
    definition.clusteredBy = withOptional(withOptional({}, 'column', column && nameOf(column)), 'shards', shards);
  }
  checkGeneratedReferences(definition);
  return definition;
}

/**
 * CrateDB refuses a generated column whose expression references another generated column. Checked on the rendered
 * text, so expressions written as raw SQL (`sql\`b + 1\``) are caught as well as those built from column objects.
 */
function checkGeneratedReferences(table: TableDefinition): void {
  const generated = new Set(table.columns.filter((column) => column.generated !== undefined).map((column) => column.name));
  for (const column of table.columns) {
    if (column.generated === undefined) continue;
    for (const name of identifiersIn(column.generated)) {
      if (generated.has(name)) {
        throw new CrateSchemaError(
          { table: table.name, column: column.name },
          `the generated expression references generated column "${name}"; CrateDB does not allow generated columns ` +
            'to reference each other: repeat the other expression instead',
        );
      }
    }
  }
}

/** Column identifiers in an SQL expression: quoted ones as written, bare ones folded to lower case, no functions. */
function identifiersIn(expression: string): string[] {
  const withoutStrings = expression.replace(/'(?:[^']|'')*'/g, "''");
  const names: string[] = [];
  for (const match of withoutStrings.matchAll(/"((?:[^"]|"")+)"|\b([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g)) {
    names.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.toLowerCase());
  }
  return names;
}

/** `CREATE TABLE [IF NOT EXISTS] ...` */
export function createTableSql(table: TableDefinition, options: { ifNotExists?: boolean } = {}): string {
  const elements = table.columns.map(columnDefinitionSql);
  for (const index of table.fulltextIndexes) {
    elements.push(`INDEX ${quote(index.name)} USING FULLTEXT (${index.columns.join(', ')})${analyzerClause(index.analyzer)}`);
  }
  if (table.primaryKey) {
    const name = table.primaryKey.name ? `CONSTRAINT ${quote(table.primaryKey.name)} ` : '';
    elements.push(`${name}PRIMARY KEY (${table.primaryKey.columns.map(quote).join(', ')})`);
  }
  for (const check of table.checks) elements.push(checkSql(check));

  const clauses: string[] = [];
  if (table.clusteredBy) clauses.push(clusteredBySql(table.clusteredBy));
  if (table.partitionedBy.length) clauses.push(`PARTITIONED BY (${table.partitionedBy.map(quote).join(', ')})`);
  const settings = Object.entries(table.settings);
  if (settings.length) clauses.push(`WITH (${settings.map(([key, value]) => `${settingKey(key)} = ${literal(value)}`).join(', ')})`);

  const head = `CREATE TABLE ${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(table)}`;
  return `${head} (\n  ${elements.join(',\n  ')}\n)${clauses.map((clause) => `\n${clause}`).join('')}`;
}

/** `DROP TABLE [IF EXISTS] ...` */
export function dropTableSql(table: Pick<TableDefinition, 'name' | 'schema'>, options: { ifExists?: boolean } = {}): string {
  return `DROP TABLE ${options.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(table)}`;
}

/** `"name" TYPE [DEFAULT ..] [GENERATED ALWAYS AS (..)] [NOT NULL] [INDEX ..] [STORAGE WITH (..)]`, as in CREATE TABLE and ADD COLUMN. */
export function columnDefinitionSql(column: ColumnDefinition): string {
  const parts = [quote(column.name), typeSql(column.type)];
  if (column.default !== undefined) parts.push(`DEFAULT ${column.default}`);
  if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${column.generated})`);
  if (column.notNull) parts.push('NOT NULL');
  if (column.index) parts.push(indexSql(column.index));
  if (column.columnstore === false) parts.push('STORAGE WITH (columnstore = false)');
  return parts.join(' ');
}

export function typeSql(type: ColumnType): string {
  switch (type.kind) {
    case 'scalar':
      return type.name;
    case 'array':
      return `ARRAY(${typeSql(type.element)})`;
    case 'object': {
      const columns = type.columns.map(columnDefinitionSql);
      return `OBJECT(${type.policy.toUpperCase()})${columns.length ? ` AS (${columns.join(', ')})` : ''}`;
    }
  }
}

export function checkSql(check: TableDefinition['checks'][number]): string {
  return `${check.name ? `CONSTRAINT ${quote(check.name)} ` : ''}CHECK (${check.expression})`;
}

export function clusteredBySql(clusteredBy: NonNullable<TableDefinition['clusteredBy']>): string {
  const { column, shards } = clusteredBy;
  return `CLUSTERED${column ? ` BY (${quote(column)})` : ''}${shards !== undefined ? ` INTO ${shards} SHARDS` : ''}`;
}

export function indexSql(index: CrateColumnIndex): string {
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
export function settingKey(key: string): string {
  return key.includes('.') ? quote(key) : key;
}

/** The quoted, schema-qualified (when a schema was given) name of a table. */
export function qualifiedName(table: Pick<TableDefinition, 'name' | 'schema'>): string {
  return table.schema ? `${quote(table.schema)}.${quote(table.name)}` : quote(table.name);
}

/** Adds `key: value` only when the value is defined, so definitions stay free of `undefined` (and JSON-stable). */
function withOptional<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): T & { [P in K]?: V } {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target as T & { [P in K]?: V };
}
