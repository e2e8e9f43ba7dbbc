/**
 * CREATE TABLE and its parts, rendered from a {@link TableDefinition}. The kit's migrations, `push`, the DDL helpers
 * of both Drizzle lines and a column's `getSQLType()` all write types and clauses here.
 */
import { literal, qualifiedName, quote, settingKey } from '../shared/sql-text.js';
import type { ColumnDefinition, ColumnIndex, ColumnType, TableDefinition } from '../columns/definition.js';

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

/** `ARRAY(OBJECT(STRICT) AS ("a" TEXT NOT NULL))`: the type as CREATE TABLE and ADD COLUMN spell it. */
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

export function indexSql(index: ColumnIndex): string {
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
