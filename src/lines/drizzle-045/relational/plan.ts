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
  SQL,
  sql,
  type DBQueryConfig,
  type Relation,
  type RelationalSchemaConfig,
  type TableRelationalConfig,
  type TablesRelationalConfig,
} from 'drizzle-orm';
import type { PgColumn, PgTable, SelectedFieldsOrdered } from 'drizzle-orm/pg-core';
import type { RelationalEdge, RelationalNode } from '../../../dialect/relational/loader.js';
import type { PerParentLimit } from '../../../dialect/relational/options.js';
import { CellList, keyFilter, selectedColumnKeys, selectStatement, windowedStatement, type Cell } from '../../../dialect/relational/sql.js';
import { CrateArgumentError } from '../../../shared/errors.js';
import { getOperators, normalizeRelation } from '../orm.js';

/** The schema as drizzle-orm's `extractTablesRelationalConfig` describes it. */
export type RelationalSchema = RelationalSchemaConfig<TablesRelationalConfig>;

export interface PlanOptions {
  perParentLimit: PerParentLimit;
}

type Cardinality = RelationalNode['cardinality'];

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

  const fields: SelectedFieldsOrdered = columnKeys(tableConfig, config).map((key) => ({ path: [key], field: columns[key]! as PgColumn }));
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
  const cellList = new CellList(fields.map(({ field }) => field as Cell));
  const cellOf = (column: Column): number => cellList.indexOf(column);
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

  const { cells } = cellList;
  const from = sql`${table}`;
  let statement: SQL;
  if (position.cardinality === 'root') {
    statement = selectStatement(from, cells, where, orderBy, config.limit, config.offset);
  } else {
    const filter = and(keyFilter(position.references), where);
    statement = windowed
      ? windowedStatement(from, cells, filter, position.references, orderBy, config.offset, config.limit)
      : selectStatement(from, cells, filter, orderBy, undefined, undefined);
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

/** Which columns a `columns` config selects, with drizzle-orm's rules. */
function columnKeys(tableConfig: TableRelationalConfig, config: DBQueryConfig): string[] {
  return selectedColumnKeys(Object.keys(tableConfig.columns), config.columns as Record<string, boolean | undefined> | undefined);
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
