/**
 * crateTable on Drizzle v1: a pg-core table built from drizzle-cratedb builders, with CrateDB's options kept beside
 * it. As in v1's pg-core, casing belongs to the table: `snakeCase.table(...)` names columns from their keys in
 * snake_case, `camelCase.table(...)` in camelCase; names given explicitly are kept.
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect, PgTable, type CheckBuilder, type PgBuildColumns, type PgBuildExtraConfigColumns, type PgTableWithColumns, type PrimaryKeyBuilder } from 'drizzle-orm/pg-core';
import { casingFunction, type Casing } from '../../../shared/casing.js';
import { CrateArgumentError } from '../../../shared/errors.js';
import type { TableDefinition } from '../../../columns/definition.js';
import { registerTable } from '../../../tables/registry.js';
import { checkSchemaName, checkTableName } from '../../../tables/rules.js';
import type { CrateColumnLike } from '../../../dialect/column-model.js';
import { foreignBuilderError } from '../../../columns/foreign-builders.js';
import { installTableInternals, tableLabel } from '../../../dialect/internals.js';
import {
  checkDeclarations,
  describeResolved,
  drizzleOwnExtras,
  renderInline,
  resolveTable,
  type ResolvedCrateTable,
} from '../../../dialect/table-model.js';
import type { CrateTableOption } from '../../../dialect/table-options.js';
import { CrateColumnBuilder, crateCapabilities, type CrateColumn } from './common.js';
import { schemaViewFn, type CrateViewFn } from '../view.js';

/** What the third argument of `crateTable` may return. */
export type CrateTableExtraConfigValue = PrimaryKeyBuilder | CheckBuilder | CrateTableOption;

/** Only drizzle-cratedb builders: pg-core's serial, identity and friends have no CrateDB equivalent. */
export type CrateColumnsMap = Record<string, CrateColumnBuilder<any, any> & { readonly [crateCapabilities]: unknown }>;

export type CrateTableWithColumns<TName extends string, TSchema extends string | undefined, TColumnsMap extends CrateColumnsMap> = PgTableWithColumns<{
  name: TName;
  schema: TSchema;
  columns: PgBuildColumns<TName, TColumnsMap>;
  dialect: 'pg';
  isAlias: false;
}>;

/** A table's CrateDB definition, resolved to its columns. */
export type CrateTableConfig = ResolvedCrateTable;

type TableFn<TSchema extends string | undefined> = <TName extends string, TColumnsMap extends CrateColumnsMap>(
  name: TName,
  columns: TColumnsMap,
  extraConfig?: (self: PgBuildExtraConfigColumns<TColumnsMap>) => CrateTableExtraConfigValue[],
) => CrateTableWithColumns<TName, TSchema, TColumnsMap>;

const models = new WeakMap<PgTable, ResolvedCrateTable>();

function tableFactory<TSchema extends string | undefined>(schema: TSchema, casing: Casing | undefined): TableFn<TSchema> {
  return (name, columns, extraConfig) => buildTable(name, schema, columns, extraConfig as never, casing) as never;
}

/** A CrateDB table; columns are named as declared (or after their keys). */
export const crateTable: TableFn<undefined> = tableFactory(undefined, undefined);

/** Tables in a schema other than the connection's default (`doc`): `crateSchema('metrics').table(...)`. */
export function crateSchema<TSchema extends string>(
  schema: TSchema,
  casing?: Casing,
): { schemaName: TSchema; table: TableFn<TSchema>; view: CrateViewFn<TSchema> } {
  checkSchemaName(schema, { option: `crateSchema('${schema}')` });
  return { schemaName: schema, table: tableFactory(schema, casing), view: schemaViewFn(schema, casing) };
}

/** `snakeCase.table(...)`: columns named after their keys in snake_case, as v1's pg-core `snakeCase.table` does. */
export const snakeCase = {
  table: tableFactory(undefined, 'snake_case'),
  view: schemaViewFn(undefined, 'snake_case'),
  schema: <TSchema extends string>(schema: TSchema) => crateSchema(schema, 'snake_case'),
};

/** `camelCase.table(...)`: columns named after their keys in camelCase. */
export const camelCase = {
  table: tableFactory(undefined, 'camelCase'),
  view: schemaViewFn(undefined, 'camelCase'),
  schema: <TSchema extends string>(schema: TSchema) => crateSchema(schema, 'camelCase'),
};

/** True for tables made by crateTable, crateSchema().table, snakeCase.table and camelCase.table. */
export function isCrateTable(table: unknown): table is PgTable {
  return table instanceof PgTable && models.has(table);
}

/** The resolved CrateDB definition of a table made with crateTable. */
export function getCrateTableConfig(table: PgTable): CrateTableConfig {
  const model = models.get(table);
  if (!model) throw new CrateArgumentError(`table "${tableLabel(table)}" was not made with crateTable(); drizzle-cratedb only describes its own tables`);
  return model;
}

/** Describes a table made with crateTable as CrateDB sees it. v1 tables carry their column names. */
export function describeTable(table: PgTable, options: { dialect?: PgDialect } = {}): TableDefinition {
  return describeResolved(getCrateTableConfig(table), describeAdapter(options.dialect ?? new PgDialect()), { resolveLazy: true });
}

function describeAdapter(dialect: PgDialect) {
  return {
    columnName: (column: CrateColumnLike) => column.name,
    render: (expression: SQL) => renderInline((query, source) => dialect.sqlToQuery(query, source), expression),
  };
}

function buildTable(
  name: string,
  schema: string | undefined,
  columns: Record<string, unknown>,
  extraConfig: ((self: never) => CrateTableExtraConfigValue[]) | undefined,
  casing: Casing | undefined,
): PgTable {
  checkTableName(name, schema);
  const toCase = casingFunction(casing);
  const table = new PgTable(name, schema, name);
  const built: Record<string, CrateColumn> = {};
  const forExtraConfig: Record<string, unknown> = {};
  for (const [key, builder] of Object.entries(columns)) {
    if (!(builder instanceof CrateColumnBuilder)) throw foreignBuilderError(name, key, builder);
    const internal = builder as unknown as { setName(key: string, casing: (key: string) => string): void; buildExtraConfigColumn(table: PgTable): unknown };
    internal.setName(key, toCase);
    built[key] = builder.build(table);
    forExtraConfig[key] = internal.buildExtraConfigColumn(table);
  }
  // Drizzle's own getTableConfig() (and tools built on it, such as drizzle-seed) sees only the extras it knows;
  // on v1 it throws on anything else.
  const drizzleExtras = extraConfig && ((self: never) => drizzleOwnExtras(extraConfig(self)));
  installTableInternals(table, built, forExtraConfig, drizzleExtras);

  const extras = extraConfig ? extraConfig(forExtraConfig as never) : [];
  const model = resolveTable(table, name, schema, Object.values(built), extras);
  checkDeclarations(name, Object.entries(built).map(([key, column]) => ({ key, column })));
  describeResolved(model, describeAdapter(new PgDialect()), { resolveLazy: false });
  models.set(table, model);
  registerTable(table, () => describeTable(table));
  return table;
}
