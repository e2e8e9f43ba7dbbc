/**
 * Relational queries v2 (`defineRelations`, `db.query.<t>.findMany()`) planned for CrateDB: one statement per node
 * of the `with` tree, each relation loaded for all parent rows at once by key (`where fk = any($keys)`). pg-core
 * nests everything into one statement with LATERAL joins and json_agg, which CrateDB does not have.
 *
 * Filters, ordering and extras are drizzle's own (`relationsFilterToSQL`, `relationsOrderToSQL`), so the object
 * `where` with AND / OR / NOT / RAW and relation filters means exactly what drizzle documents; they are applied to
 * each node's statement. A relation's predefined `where` restricts the related rows; when it came from the reverse
 * relation it restricts the parents instead, which is evaluated as a column of the parent's statement.
 */
import { and, Column, is, SQL, sql, type AnyRelations, type Relation, type TableRelationalConfig } from 'drizzle-orm';
import { getViewConfig, PgTable, PgView } from 'drizzle-orm/pg-core';
import { CrateArgumentError, CrateUnsupportedError } from '../../../shared/errors.js';
import { sqlDecoder } from '../../../dialect/internals.js';
import type { RelationalEdge, RelationalNode } from '../../../dialect/relational/loader.js';
import type { PerParentLimit } from '../../../dialect/relational/options.js';
import { CellList, keyFilter, selectedColumnKeys, selectStatement, windowedStatement, type Cell, type LimitValue } from '../../../dialect/relational/sql.js';
import type { MappedField } from '../../../dialect/row-mapper.js';
import { EmptyFilter, relationsFilterToSQL, relationsOrderToSQL } from '../orm.js';

export interface PlanOptions {
  perParentLimit: PerParentLimit;
}

/** The query options drizzle v1 documents, as this planner reads them. */
interface NodeConfig {
  columns?: Record<string, boolean | undefined>;
  where?: unknown;
  extras?: Record<string, SQL | SQL.Aliased | ((table: unknown, operators: { sql: typeof sql }) => SQL | SQL.Aliased)>;
  orderBy?: unknown;
  limit?: number | SQL | object;
  offset?: number | SQL | object;
  with?: Record<string, boolean | NodeConfig | undefined>;
  comment?: unknown;
  strategy?: unknown;
  withCache?: unknown;
}

/** A column of a relation's `from` / `to`, as `defineRelations` records it. */
interface RelationColumn {
  readonly _: { readonly column: Column; readonly key: string; readonly tableName: string };
}

interface V2Relation {
  readonly relationType: 'one' | 'many';
  readonly targetTableName: string;
  readonly targetTable: unknown;
  readonly sourceColumns: readonly RelationColumn[];
  readonly targetColumns: readonly RelationColumn[];
  readonly through?: { readonly source: readonly RelationColumn[]; readonly target: readonly RelationColumn[] };
  readonly throughTable?: unknown;
  readonly where: unknown;
  readonly isFilterReversed?: boolean;
}

export function planRelationalQuery(relations: AnyRelations, tableConfig: TableRelationalConfig, config: unknown, options: PlanOptions): RelationalNode {
  const root = (config === true || config === undefined ? {} : config) as NodeConfig;
  if (root.withCache !== undefined && root.withCache !== false) {
    throw new CrateUnsupportedError(
      `db.query.${tableConfig.name}.findMany({ withCache })`,
      'Relational queries are loaded in several statements, one per relation, and are not cached as a whole. Cache the result in the application, or remove withCache.',
    );
  }
  return planNode(relations, tableConfig, root, options, { path: tableConfig.name, tsKey: tableConfig.name, cardinality: 'root' });
}

type Cardinality = RelationalNode['cardinality'];

/** Where a node sits, and for a relation how its rows are matched to the parents' keys. */
interface NodePosition {
  path: string;
  tsKey: string;
  cardinality: Cardinality;
  relation?: V2Relation;
}

function planNode(relations: AnyRelations, tableConfig: TableRelationalConfig, config: NodeConfig, options: PlanOptions, position: NodePosition): RelationalNode {
  const table = tableConfig.table;
  if (!is(table, PgTable) && !is(table, PgView)) {
    throw new CrateUnsupportedError(`relational queries over "${tableConfig.name}"`, 'Only tables and views can be loaded by relational queries on CrateDB; query subqueries with select().');
  }
  // A view's columns are its selected fields (drizzle keeps them under the same symbol as a table's columns).
  // Copied once: a view's fields are proxies, made anew on each read, and cells are matched by identity.
  const columns = { ...(table as unknown as Record<symbol, Record<string, unknown>>)[Symbol.for('drizzle:Columns')]! };
  // A relation's column of this node's table or view, as the same object as the selected field.
  const own = (column: RelationColumn): Column => (is(columns[column._.key], Column) ? (columns[column._.key] as Column) : column._.column);
  const tableRelations = tableConfig.relations as Record<string, V2Relation>;

  const fields: MappedField[] = selectedColumnKeys(Object.keys(columns), config.columns).map((key) => ({ path: [key], field: viewField(tableConfig, key, columns[key]) }));
  for (const [key, extra] of Object.entries(config.extras ?? {})) {
    const value = typeof extra === 'function' ? extra(table, { sql }) : extra;
    if (!value) continue;
    const expression = is(value, SQL.Aliased) ? value.sql : value;
    fields.push({ path: [key], field: sql`(${expression})`.mapWith(sqlDecoder(expression)).as(key) });
  }

  const selected = selectedRelations(tableConfig, config, position.path);
  if (fields.length === 0 && selected.length === 0) throw new CrateArgumentError(`${position.path}: nothing is selected (columns and with are empty)`);

  // Cells beyond the fields: key columns the client matches on, and reversed relation filters; not returned.
  const cellList = new CellList(fields.map(({ field }) => field as Cell));
  const relation = position.relation;
  const through = relation?.through;
  const joined = through ? (relation!.throughTable as PgTable) : undefined;
  // Rows of a relation are matched to parents by the target columns, or by the junction's source columns.
  const matchedBy = relation ? (through ? through.source.map((c) => c._.column) : relation.targetColumns.map(own)) : [];
  const keyIndexes = matchedBy.map((column) => cellList.indexOf(column));

  const children: RelationalEdge[] = selected.map(({ tsKey, relation: child, relationConfig }) => {
    const parentKeyIndexes = child.sourceColumns.map((column) => cellList.indexOf(own(column)));
    let parentFilterIndex: number | undefined;
    if (child.isFilterReversed && child.where !== undefined && child.where !== EmptyFilter) {
      const condition = filterSql(table, child.where, {}, {});
      if (condition) parentFilterIndex = cellList.indexOf(sql`coalesce((${condition}), false)`.as(`__parent_filter_${tsKey}`));
    }
    const node = planNode(relations, relations[child.targetTableName]!, relationConfig, options, {
      path: `${position.path}.${tsKey}`,
      tsKey,
      cardinality: child.relationType,
      relation: child,
    });
    return parentFilterIndex === undefined ? { node, parentKeyIndexes } : { node, parentKeyIndexes, parentFilterIndex };
  });

  const where = filterSql(table, config.where, tableRelations, relations);
  const predefined = relation && !relation.isFilterReversed ? filterSql(table, relation.where, {}, {}) : undefined;
  const orderBy = orderBySql(table, config.orderBy, tableRelations, relations);
  const limit = config.limit as LimitValue;
  const offset = config.offset as LimitValue;
  const sliced = position.cardinality !== 'root' && (limit !== undefined || offset !== undefined);
  const windowed = sliced && position.cardinality === 'many' && options.perParentLimit === 'window';
  const clientSlice = sliced && !windowed ? { offset, limit: position.cardinality === 'one' ? undefined : limit } : undefined;

  const { cells } = cellList;
  let from = sql`${table}`;
  if (through && joined) {
    const on = and(...through.target.map((column, i) => sql`${column._.column} = ${relation!.targetColumns[i]!._.column}`))!;
    from = sql`${table} inner join ${joined} on ${on}`;
  }
  let statement: SQL;
  if (position.cardinality === 'root') {
    statement = selectStatement(from, cells, where, orderBy, limit, offset);
    if (config.comment !== undefined) statement.append(sql` ${sql.raw(commentSql(config.comment))}`);
  } else {
    const filter = and(keyFilter(matchedBy), predefined, where);
    statement = windowed
      ? windowedStatement(from, cells, filter, matchedBy, orderBy, offset, limit)
      : selectStatement(from, cells, filter, orderBy, undefined, undefined);
  }

  return { path: position.path, tsKey: position.tsKey, cardinality: position.cardinality, fields, keyIndexes, children, statement, clientSlice };
}

/**
 * A selected column, as a cell of the node's statement. A view's expression field (`sql\`...\`.as('n')`) is read
 * as the view's column `"v"."n"`: its own SQL is the view's query, which the view's name does not reach.
 */
function viewField(tableConfig: TableRelationalConfig, key: string, field: unknown): MappedField['field'] {
  if (is(field, Column)) return field;
  if (is(tableConfig.table, PgView) && is(field, SQL.Aliased)) {
    const name = getViewConfig(tableConfig.table).name;
    return sql`${sql.identifier(name)}.${sql.identifier(field.fieldAlias)}`.mapWith(sqlDecoder(field.sql)).as(key);
  }
  throw new CrateUnsupportedError(
    `relational queries over "${tableConfig.name}" selecting "${key}"`,
    'A view field that is an object of fields, or SQL without .as(), has no column of its own to load; select the view with db.select().',
  );
}

function selectedRelations(
  tableConfig: TableRelationalConfig,
  config: NodeConfig,
  path: string,
): { tsKey: string; relation: V2Relation; relationConfig: NodeConfig }[] {
  if (!config.with) return [];
  return Object.entries(config.with)
    .filter((entry): entry is [string, true | NodeConfig] => Boolean(entry[1]))
    .map(([tsKey, relationConfig]) => {
      const relation = (tableConfig.relations as Record<string, Relation>)[tsKey] as unknown as V2Relation | undefined;
      if (!relation) {
        const known = Object.keys(tableConfig.relations);
        throw new CrateArgumentError(
          `${path}: "${tsKey}" in \`with\` is not a relation of table "${tableConfig.name}" ` +
            (known.length ? `(its relations: ${known.join(', ')})` : '(it has none; declare them with defineRelations() and pass them to drizzle())'),
        );
      }
      return { tsKey, relation, relationConfig: relationConfig === true ? {} : relationConfig };
    });
}

/** drizzle's object filter (AND, OR, NOT, RAW, relation filters) as SQL; undefined when it selects everything. */
function filterSql(table: unknown, filter: unknown, tableRelations: object, relations: object): SQL | undefined {
  if (filter === undefined || filter === EmptyFilter) return undefined;
  const toSQL = relationsFilterToSQL as unknown as (table: unknown, filter: unknown, tableRelations: object, relations: object) => { sql?: unknown[] };
  const { sql: chunks } = toSQL(table, filter, tableRelations, relations);
  return chunks ? new SQL(chunks as SQL['queryChunks']) : undefined;
}

/** drizzle's `orderBy` (object or callback) as a list of SQL terms. */
function orderBySql(table: unknown, orderBy: unknown, tableRelations: object, relations: object): SQL[] {
  if (orderBy === undefined) return [];
  const toSQL = relationsOrderToSQL as unknown as (table: unknown, orderBy: unknown, tableRelations: object, relations: object) => unknown[] | undefined;
  const chunks = toSQL(table, orderBy, tableRelations, relations);
  return chunks ? [new SQL(chunks as SQL['queryChunks'])] : [];
}

/** A root `comment` as SQL text: `/* key='value',... *\/`, with the comment's end sequence escaped. */
function commentSql(comment: unknown): string {
  const text =
    typeof comment === 'string'
      ? comment
      : Object.entries(comment as Record<string, unknown>)
          .map(([key, value]) => `${encodeURIComponent(key)}='${encodeURIComponent(String(value))}'`)
          .join(',');
  return `/*${text.replace(/\*\//g, '* /')}*/`;
}
