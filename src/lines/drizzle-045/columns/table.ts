import type { BuildColumns, BuildExtraConfigColumns, Casing, ColumnBuilderBase, SQL } from 'drizzle-orm';
import { CheckBuilder, PgDialect, PgTable, PrimaryKeyBuilder, type PgColumn } from 'drizzle-orm/pg-core';
import { CrateArgumentError } from '../../../shared/errors.js';
import { installTableInternals, tableLabel } from '../../../dialect/internals.js';
import { checkSchemaName, checkTableName } from '../../../tables/rules.js';
import { registerTable } from '../../../tables/registry.js';
import type { TableDefinition } from '../../../columns/definition.js';
import {
  checkDeclarations,
  describeResolved,
  drizzleOwnExtras,
  renderInline,
  resolveTable,
  type ResolvedCrateTable,
} from '../../../dialect/table-model.js';
import { foreignBuilderError } from '../../../columns/foreign-builders.js';
import type { CrateTableOption } from '../../../dialect/table-options.js';
import type { CrateColumnLike } from '../../../dialect/column-model.js';
import { columnCasing } from '../internals.js';
import { CrateColumnBuilder, crateCapabilities, type CrateColumn } from './common.js';
import { schemaViewFn } from '../view.js';

/** What the third argument of `crateTable` may return. */
export type CrateTableExtraConfigValue = PrimaryKeyBuilder | CheckBuilder | CrateTableOption;

export type CrateTableWithColumns<T extends { name: string; schema: string | undefined; columns: Record<string, PgColumn> }> = PgTable<
  T & { dialect: 'pg' }
> & {
  [Key in keyof T['columns']]: T['columns'][Key];
};

/** Only drizzle-cratedb builders: pg-core's serial, identity and friends have no CrateDB equivalent. */
export type CrateColumnsMap = Record<string, ColumnBuilderBase & { readonly [crateCapabilities]: unknown }>;

/** A table's CrateDB definition, resolved to its columns. */
export type CrateTableConfig = ResolvedCrateTable;

const models = new WeakMap<PgTable, ResolvedCrateTable>();

export function crateTable<TTableName extends string, TColumnsMap extends CrateColumnsMap>(
  name: TTableName,
  columns: TColumnsMap,
  extraConfig?: (self: BuildExtraConfigColumns<TTableName, TColumnsMap, 'pg'>) => CrateTableExtraConfigValue[],
): CrateTableWithColumns<{ name: TTableName; schema: undefined; columns: BuildColumns<TTableName, TColumnsMap, 'pg'> }> {
  return buildTable(name, undefined, columns, extraConfig);
}

/** Tables in a schema other than the connection's default (`doc`): `crateSchema('metrics').table(...)`. */
export function crateSchema<TSchema extends string>(schema: TSchema) {
  checkSchemaName(schema, { option: `crateSchema('${schema}')` });
  return {
    schemaName: schema,
    table<TTableName extends string, TColumnsMap extends CrateColumnsMap>(
      name: TTableName,
      columns: TColumnsMap,
      extraConfig?: (self: BuildExtraConfigColumns<TTableName, TColumnsMap, 'pg'>) => CrateTableExtraConfigValue[],
    ): CrateTableWithColumns<{ name: TTableName; schema: TSchema; columns: BuildColumns<TTableName, TColumnsMap, 'pg'> }> {
      return buildTable(name, schema, columns, extraConfig);
    },
    /** A view in this schema: `crateSchema('s').view('v').as(...)`, as pg-core's `pgSchema(...).view`. */
    view: schemaViewFn(schema),
  };
}

/** True for tables made by crateTable / crateSchema().table. */
export function isCrateTable(table: unknown): table is PgTable {
  return table instanceof PgTable && models.has(table);
}

/** The resolved CrateDB definition of a table made with crateTable. */
export function getCrateTableConfig(table: PgTable): CrateTableConfig {
  const model = models.get(table);
  if (!model) throw notCrateTable(table);
  return model;
}

/**
 * Describes a table made with crateTable as CrateDB sees it. Column names follow `casing`, which must match the one
 * given to `drizzle()`, or the casing of `dialect` (a database's dialect, whose casing cache its queries use too).
 * Without a dialect a fresh one renders: drizzle's casing cache remembers columns by table name, so a shared one
 * could answer for an earlier table of the same name.
 */
export function describeTable(table: PgTable, options: { casing?: Casing | undefined; dialect?: PgDialect | undefined } = {}): TableDefinition {
  return describeResolved(getCrateTableConfig(table), describeAdapter(options.dialect ?? new PgDialect({ casing: options.casing })), { resolveLazy: true });
}

function describeAdapter(dialect: PgDialect) {
  const casing = columnCasing(dialect);
  return {
    columnName: (column: CrateColumnLike) => casing.getColumnCasing(column),
    render: (expression: SQL) => renderInline((query, source) => dialect.sqlToQuery(query, source), expression),
  };
}

function buildTable(
  name: string,
  schema: string | undefined,
  columns: Record<string, unknown>,
  extraConfig: ((self: never) => CrateTableExtraConfigValue[]) | undefined,
): never {
  checkTableName(name, schema);
  const table = new PgTable(name, schema, name);
  const built: Record<string, CrateColumn> = {};
  const forExtraConfig: Record<string, unknown> = {};
  for (const [key, builder] of Object.entries(columns)) {
    if (!(builder instanceof CrateColumnBuilder)) throw foreignBuilderError(name, key, builder);
    builder.setName(key);
    built[key] = builder.build(table);
    forExtraConfig[key] = builder.buildExtraConfigColumn(table);
  }
  // Drizzle's own getTableConfig() (and tools built on it, such as drizzle-seed) sees only the extras it knows.
  const drizzleExtras = extraConfig && ((self: never) => drizzleOwnExtras(extraConfig(self)));
  installTableInternals(table, built, forExtraConfig, drizzleExtras);

  const extras = extraConfig ? extraConfig(forExtraConfig as never) : [];
  const model = resolveTable(table, name, schema, Object.values(built), extras);
  checkDeclarations(name, Object.entries(built).map(([key, column]) => ({ key, column })));
  // The rules run now, with the names as declared; DDL describes again with the casing in use.
  describeResolved(model, describeAdapter(new PgDialect()), { resolveLazy: false });
  models.set(table, model);
  registerTable(table, (options) => describeTable(table, { casing: options.casing }));
  return table as never;
}

function notCrateTable(table: PgTable): CrateArgumentError {
  return new CrateArgumentError(`table "${tableLabel(table)}" was not made with crateTable(); drizzle-cratedb only describes its own tables`);
}
