/**
 * Turns a relational query config (`findMany({ columns, where, orderBy, limit, offset, extras, with })`) into one
 * statement per node of the `with` tree. pg-core nests every relation into one statement with LATERAL joins and
 * json_agg; CrateDB has neither, so each relation is loaded by its own statement that takes the keys of all parent
 * rows at once (`where fk = any($keys)`). The statements are built once per prepared query; only the keys change.
 */
import {
  and,
  Column,
  getOrderByOperators,
  getTableUniqueName,
  is,
  One,
  Placeholder,
  SQL,
  sql,
  type DBQueryConfig,
  type Relation,
  type RelationalSchemaConfig,
  type TableRelationalConfig,
  type TablesRelationalConfig,
} from 'drizzle-orm';
import type { PgColumn, PgTable, SelectedFieldsOrdered } from 'drizzle-orm/pg-core';
import { keyPlaceholder, type RelationalEdge, type RelationalNode } from '../../drizzle-common/relational-loader.js';
import { CrateArgumentError } from '../../shared/errors.js';
import { getOperators, normalizeRelation } from '../orm.js';

/** The schema as drizzle-orm's `extractTablesRelationalConfig` describes it. */
export type RelationalSchema = RelationalSchemaConfig<TablesRelationalConfig>;

/**
 * How a relation's `limit` and `offset` apply to each parent's rows:
 * - `window`: CrateDB numbers each parent's rows (`row_number() over (partition by fk ...)`) and sends only the slice;
 * - `client`: CrateDB sends every matching row in order and the client keeps each parent's slice.
 */
export type PerParentLimit = 'window' | 'client';

export interface PlanOptions {
  perParentLimit: PerParentLimit;
}

type Cardinality = RelationalNode['cardinality'];
type LimitValue = number | Placeholder | undefined;

/** Name of the row-number column a windowed statement orders by. */
const ROW_NUMBER = '__rn';

export function planRelationalQuery(
  relational: RelationalSchema,
  table: PgTable,
  tableConfig: TableRelationalConfig,
  config: DBQueryConfig<'many', true> | true,
  options: PlanOptions,
): RelationalNode {
  return planNode(relational, table, tableConfig, config, options, {
    path: tableConfig.tsName,
    tsKey: tableConfig.tsName,
    cardinality: 'root',
    references: [],
  });
}

interface NodePosition {
  path: string;
  tsKey: string;
  cardinality: Cardinality;
  /** Columns of this node's table that parent keys are matched against; empty for the root. */
  references: readonly Column[];
}

function planNode(
  relational: RelationalSchema,
  table: PgTable,
  tableConfig: TableRelationalConfig,
  queryConfig: DBQueryConfig | true,
  options: PlanOptions,
  position: NodePosition,
): RelationalNode {
  const config: DBQueryConfig<'many', true> = queryConfig === true ? {} : (queryConfig as DBQueryConfig<'many', true>);
  const columns = tableConfig.columns;

  const fields: SelectedFieldsOrdered = selectedColumnKeys(tableConfig, config).map((key) => ({ path: [key], field: columns[key]! as PgColumn }));
  if (config.extras) {
    const extras = typeof config.extras === 'function' ? config.extras(columns, { sql }) : config.extras;
    for (const [key, value] of Object.entries(extras)) {
      if (!is(value, SQL.Aliased)) {
        throw new CrateArgumentError(`${position.path}: extras.${key} must be an aliased SQL expression (sql\`...\`.as('${key}'))`);
      }
      fields.push({ path: [key], field: value });
    }
  }

  const relations = selectedRelations(relational, tableConfig, config, position.path);
  if (fields.length === 0 && relations.length === 0) {
    throw new CrateArgumentError(`No fields selected for table "${tableConfig.tsName}" ("${position.path}")`);
  }

  // Cells beyond the fields: key columns the client matches on and does not return.
  const cells: (Column | SQL.Aliased)[] = fields.map(({ field }) => field as Column | SQL.Aliased);
  const cellOf = (column: Column): number => {
    const found = cells.indexOf(column);
    if (found !== -1) return found;
    cells.push(column);
    return cells.length - 1;
  };
  const keyIndexes = position.references.map(cellOf);

  const children: RelationalEdge[] = relations.map(({ tsKey, relation, relationConfig }) => {
    const normalized = normalizeRelation(relational.schema, relational.tableNamesMap, relation);
    const targetTsName = relational.tableNamesMap[getTableUniqueName(relation.referencedTable)]!;
    const parentKeyIndexes = normalized.fields.map((column) => cellOf(column as Column));
    const node = planNode(
      relational,
      relational.fullSchema[targetTsName] as PgTable,
      relational.schema[targetTsName]!,
      relationConfig,
      options,
      {
        path: `${position.path}.${tsKey}`,
        tsKey,
        cardinality: is(relation, One) ? 'one' : 'many',
        references: normalized.references as Column[],
      },
    );
    return { node, parentKeyIndexes };
  });

  const where = config.where === undefined ? undefined : typeof config.where === 'function' ? config.where(columns, getOperators()) : config.where;
  const orderBy = orderByOf(config, columns);
  const slicedPerParent = position.cardinality === 'many' && (config.limit !== undefined || config.offset !== undefined);
  const windowed = slicedPerParent && options.perParentLimit === 'window';
  const clientSlice = slicedPerParent && options.perParentLimit === 'client' ? { offset: config.offset, limit: config.limit } : undefined;

  let statement: SQL;
  if (position.cardinality === 'root') {
    statement = selectStatement(table, cells, where, orderBy, config.limit, config.offset);
  } else {
    const filter = and(keyFilter(position.references), where);
    statement = windowed
      ? windowedStatement(table, cells, filter, position.references, orderBy, config.offset, config.limit)
      : selectStatement(table, cells, filter, orderBy, undefined, undefined);
  }

  return {
    path: position.path,
    tsKey: position.tsKey,
    cardinality: position.cardinality,
    fields,
    keyIndexes,
    children,
    statement,
    clientSlice,
  };
}

/** Which columns a `columns` config selects, with drizzle-orm's rules: any `true` selects only those, else all but the `false` ones. */
function selectedColumnKeys(tableConfig: TableRelationalConfig, config: DBQueryConfig): string[] {
  const all = Object.keys(tableConfig.columns);
  if (!config.columns) return all;
  const named = Object.entries(config.columns).filter(([key, value]) => value !== undefined && key in tableConfig.columns);
  if (named.length === 0) return [];
  if (named.some(([, value]) => value === true)) return named.filter(([, value]) => value === true).map(([key]) => key);
  const excluded = new Set(named.map(([key]) => key));
  return all.filter((key) => !excluded.has(key));
}

function selectedRelations(
  relational: RelationalSchema,
  tableConfig: TableRelationalConfig,
  config: DBQueryConfig,
  path: string,
): { tsKey: string; relation: Relation; relationConfig: DBQueryConfig | true }[] {
  if (!config.with) return [];
  return Object.entries(config.with)
    .filter((entry): entry is [string, true | DBQueryConfig] => Boolean(entry[1]))
    .map(([tsKey, relationConfig]) => {
      const relation = tableConfig.relations[tsKey];
      if (!relation) {
        const known = Object.keys(tableConfig.relations);
        throw new CrateArgumentError(
          `${path}: "${tsKey}" in \`with\` is not a relation of table "${tableConfig.tsName}" ` +
            (known.length ? `(its relations: ${known.join(', ')})` : '(it has none; declare them with relations() and pass them in the schema)'),
        );
      }
      if (!relational.tableNamesMap[getTableUniqueName(relation.referencedTable)]) {
        throw new CrateArgumentError(`${path}.${tsKey}: table "${relation.referencedTableName}" is not in the schema passed to drizzle()`);
      }
      // pg-core loads a one-relation as a one-row subquery; here its rows are matched by key and the first kept.
      return { tsKey, relation, relationConfig };
    });
}

function orderByOf(config: DBQueryConfig<'many', true>, columns: Record<string, Column>): SQL[] {
  const given = typeof config.orderBy === 'function' ? config.orderBy(columns, getOrderByOperators()) : config.orderBy;
  if (given === undefined) return [];
  return (Array.isArray(given) ? given : [given]).map((item) => sql`${item}`);
}

/**
 * `fk = any($keys)`, one array per key column. For a key of several columns this selects every combination of the
 * values; the client then keeps the rows whose combination a parent has. CrateDB parses a chain of
 * `(a = ? and b = ?) or ...` slowly and overflows its parser's stack at a few thousand terms, so it is not used.
 */
function keyFilter(references: readonly Column[]): SQL {
  return and(...references.map((column, i) => sql`${column} = any(${sql.placeholder(keyPlaceholder(i))})`))!;
}

function selectStatement(
  table: PgTable,
  cells: readonly (Column | SQL.Aliased)[],
  where: SQL | undefined,
  orderBy: readonly SQL[],
  limit: LimitValue,
  offset: LimitValue,
): SQL {
  const statement = sql`select ${sql.join(cells.map(cellSql), sql`, `)} from ${table}`;
  if (where) statement.append(sql` where ${where}`);
  if (orderBy.length > 0) statement.append(sql` order by ${sql.join([...orderBy], sql`, `)}`);
  if (limit !== undefined) statement.append(sql` limit ${limit}`);
  if (offset !== undefined) statement.append(sql` offset ${offset}`);
  return statement;
}

/**
 * Each parent's slice of rows, cut on the server:
 * `select c0, c1 from (select ..., row_number() over (partition by fk order by ...) as __rn from t where ...) as __r
 *  where __rn > offset and __rn <= offset + limit order by __rn`.
 * Cells are renamed c0, c1, ... inside, so a column and an extra with the same name cannot clash.
 */
function windowedStatement(
  table: PgTable,
  cells: readonly (Column | SQL.Aliased)[],
  where: SQL | undefined,
  partitionBy: readonly Column[],
  orderBy: readonly SQL[],
  offset: LimitValue,
  limit: LimitValue,
): SQL {
  const names = cells.map((_, i) => sql.identifier(`c${i}`));
  const inner = sql`select ${sql.join(
    cells.map((cell, i) => sql`${is(cell, Column) ? cell : cell.sql} as ${names[i]}`),
    sql`, `,
  )}, row_number() over (partition by ${sql.join([...partitionBy], sql`, `)}${
    orderBy.length > 0 ? sql` order by ${sql.join([...orderBy], sql`, `)}` : sql``
  }) as ${sql.identifier(ROW_NUMBER)} from ${table}`;
  if (where) inner.append(sql` where ${where}`);
  const rowNumber = sql.identifier(ROW_NUMBER);
  const bounds: SQL[] = [];
  if (offset !== undefined) bounds.push(sql`${rowNumber} > ${offset}`);
  if (limit !== undefined) bounds.push(offset === undefined ? sql`${rowNumber} <= ${limit}` : sql`${rowNumber} <= ${offset} + ${limit}`);
  return sql`select ${sql.join(names, sql`, `)} from (${inner}) as ${sql.identifier('__r')} where ${sql.join(bounds, sql` and `)} order by ${rowNumber}`;
}

function cellSql(cell: Column | SQL.Aliased): SQL {
  return is(cell, Column) ? sql`${cell}` : sql`${cell.sql} as ${sql.identifier(cell.fieldAlias)}`;
}
