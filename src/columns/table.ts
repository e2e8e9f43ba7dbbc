import {
  is,
  SQL,
  type BuildColumns,
  type BuildExtraConfigColumns,
  type ColumnBuilderBase,
} from 'drizzle-orm';
import { CheckBuilder, PgTable, PrimaryKeyBuilder, type PgColumn } from 'drizzle-orm/pg-core';
import { tableIdentity, TableSymbols } from '../dialect/drizzle-internals.js';
import { CrateSchemaError } from '../dialect/errors.js';
import { CrateArray } from './array.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities } from './common.js';
import { CrateFloatVector } from './float-vector.js';
import { CrateGeoPoint } from './geo-point.js';
import { CrateGeoShape } from './geo-shape.js';
import { CrateObject } from './object.js';
import {
  ClusteredBy,
  CrateTableOption,
  FulltextIndex,
  PartitionedBy,
  WithOptions,
  type ColumnRef,
  type TableSettingValue,
} from './table-options.js';

/** What the third argument of `crateTable` may return. */
export type CrateTableExtraConfigValue = PrimaryKeyBuilder | CheckBuilder | CrateTableOption;

export type CrateTableWithColumns<T extends { name: string; schema: string | undefined; columns: Record<string, PgColumn> }> = PgTable<
  T & { dialect: 'pg' }
> & {
  [Key in keyof T['columns']]: T['columns'][Key];
};

/** Only drizzle-cratedb builders: pg-core's serial, identity and friends have no CrateDB equivalent. */
export type CrateColumnsMap = Record<string, ColumnBuilderBase & { readonly [crateCapabilities]: unknown }>;

/** A table's CrateDB definition, resolved: what DDL generation, snapshots and validation all read. */
export interface CrateTableConfig {
  readonly name: string;
  readonly schema: string | undefined;
  readonly columns: readonly CrateColumn[];
  readonly primaryKey: { readonly name: string | undefined; readonly columns: readonly CrateColumn[] } | undefined;
  readonly checks: readonly { readonly name: string | undefined; readonly expression: SQL }[];
  readonly fulltextIndexes: readonly { readonly name: string; readonly columns: readonly (CrateColumn | SQL)[]; readonly analyzer: string | undefined }[];
  readonly clusteredBy: { readonly column: CrateColumn | undefined; readonly shards: number | undefined } | undefined;
  readonly partitionedBy: readonly CrateColumn[];
  readonly settings: Readonly<Record<string, TableSettingValue>>;
}

const configs = new WeakMap<PgTable, CrateTableConfig>();

export function crateTable<TTableName extends string, TColumnsMap extends CrateColumnsMap>(
  name: TTableName,
  columns: TColumnsMap,
  extraConfig?: (self: BuildExtraConfigColumns<TTableName, TColumnsMap, 'pg'>) => CrateTableExtraConfigValue[],
): CrateTableWithColumns<{ name: TTableName; schema: undefined; columns: BuildColumns<TTableName, TColumnsMap, 'pg'> }> {
  return buildTable(name, undefined, columns, extraConfig);
}

/** Tables in a schema other than the connection's default (`doc`): `crateSchema('metrics').table(...)`. */
export function crateSchema<TSchema extends string>(schema: TSchema) {
  if (!/^[^\s."]+$/.test(schema)) throw new TypeError(`crateSchema('${schema}'): not a valid schema name`);
  return {
    schemaName: schema,
    table<TTableName extends string, TColumnsMap extends CrateColumnsMap>(
      name: TTableName,
      columns: TColumnsMap,
      extraConfig?: (self: BuildExtraConfigColumns<TTableName, TColumnsMap, 'pg'>) => CrateTableExtraConfigValue[],
    ): CrateTableWithColumns<{ name: TTableName; schema: TSchema; columns: BuildColumns<TTableName, TColumnsMap, 'pg'> }> {
      return buildTable(name, schema, columns, extraConfig);
    },
  };
}

/** True for tables made by crateTable / crateSchema().table. */
export function isCrateTable(table: unknown): table is PgTable {
  return is(table, PgTable) && configs.has(table);
}

/** The resolved CrateDB definition of a table made with crateTable. */
export function getCrateTableConfig(table: PgTable): CrateTableConfig {
  const config = configs.get(table);
  if (!config) {
    const { name } = tableIdentity(table);
    throw new TypeError(`table "${name}" was not made with crateTable(); drizzle-cratedb only generates DDL for its own tables`);
  }
  return config;
}

function buildTable(
  name: string,
  schema: string | undefined,
  columns: Record<string, unknown>,
  extraConfig: ((self: never) => CrateTableExtraConfigValue[]) | undefined,
): never {
  const table = new PgTable(name, schema, name);
  const internals = table as unknown as Record<symbol, unknown>;
  const built: Record<string, CrateColumn> = {};
  const forExtraConfig: Record<string, unknown> = {};
  for (const [key, builder] of Object.entries(columns)) {
    if (!(builder instanceof CrateColumnBuilder)) throw foreignBuilderError(name, key, builder);
    builder.setName(key);
    builder.checkDeclaration(name);
    built[key] = builder.build(table);
    forExtraConfig[key] = builder.buildExtraConfigColumn(table);
  }
  Object.assign(table, built);
  internals[TableSymbols.Columns] = built;
  internals[TableSymbols.ExtraConfigColumns] = forExtraConfig;
  internals[TableSymbols.ExtraConfigBuilder] = extraConfig;

  const extras = extraConfig ? extraConfig(forExtraConfig as never) : [];
  const config = resolveConfig(table, name, schema, Object.values(built), extras);
  validate(config);
  configs.set(table, config);
  return table as never;
}

function resolveConfig(
  table: PgTable,
  name: string,
  schema: string | undefined,
  columns: CrateColumn[],
  extras: readonly unknown[],
): CrateTableConfig {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const resolve = (ref: ColumnRef, role: string): CrateColumn => {
    const column = byName.get(ref.name);
    if (!column) throw new CrateSchemaError({ table: name, column: ref.name }, `${role} names a column this table does not have`);
    return column;
  };

  const columnKeys = columns.filter((column) => column.primary);
  let primaryKey: CrateTableConfig['primaryKey'] = columnKeys.length ? { name: undefined, columns: columnKeys } : undefined;
  const checks: { name: string | undefined; expression: SQL }[] = columns.flatMap((column) => column.crate.checks);
  const fulltextIndexes: CrateTableConfig['fulltextIndexes'][number][] = [];
  let clusteredBy: CrateTableConfig['clusteredBy'];
  let partitionedBy: CrateColumn[] = [];
  let settings: Record<string, TableSettingValue> = {};

  for (const extra of extras as readonly object[]) {
    if (extra instanceof PrimaryKeyBuilder) {
      const key = (extra as unknown as { build(t: PgTable): { name?: string; columns: ColumnRef[] } }).build(table);
      if (primaryKey && columnKeys.length) {
        throw new CrateSchemaError({ table: name }, 'declare the primary key either on columns or with primaryKey({ columns }), not both');
      }
      primaryKey = { name: key.name, columns: key.columns.map((ref) => resolve(ref, 'primaryKey()')) };
    } else if (extra instanceof CheckBuilder) {
      const check = extra as unknown as { name: string; value: SQL };
      checks.push({ name: check.name, expression: check.value });
    } else if (extra instanceof FulltextIndex) {
      fulltextIndexes.push({
        name: extra.name,
        columns: extra.columns.map((ref) => (is(ref, SQL) ? ref : resolve(ref as ColumnRef, `fulltextIndex('${extra.name}')`))),
        analyzer: extra.analyzer,
      });
    } else if (extra instanceof ClusteredBy) {
      clusteredBy = { column: extra.column && resolve(extra.column, 'clusteredBy()'), shards: extra.shards };
    } else if (extra instanceof PartitionedBy) {
      partitionedBy = extra.columns.map((ref) => resolve(ref, 'partitionedBy()'));
    } else if (extra instanceof WithOptions) {
      settings = { ...settings, ...extra.settings };
    } else {
      throw foreignExtraError(name, extra);
    }
  }
  return { name, schema, columns, primaryKey, checks, fulltextIndexes, clusteredBy, partitionedBy, settings };
}

const isKeyless = (column: CrateColumn) =>
  column instanceof CrateObject ||
  column instanceof CrateArray ||
  column instanceof CrateGeoPoint ||
  column instanceof CrateGeoShape ||
  column instanceof CrateFloatVector;

const isUnboundedText = (column: CrateColumn): boolean =>
  column instanceof CrateArray ? isUnboundedText(column.element) : column.getSQLType() === 'TEXT';

/** Table-level rules of CrateDB's CREATE TABLE, checked when the table is defined. */
function validate(config: CrateTableConfig): void {
  const table = config.name;
  const keyColumns = new Set(config.primaryKey?.columns ?? []);
  for (const column of keyColumns) {
    if (isKeyless(column)) {
      throw new CrateSchemaError(
        { table, column: column.name },
        `${column.getSQLType()} cannot be part of a PRIMARY KEY (CrateDB refuses object, geo, vector and array keys)`,
      );
    }
  }
  const clustered = config.clusteredBy?.column;
  if (clustered && keyColumns.size > 0 && !keyColumns.has(clustered)) {
    throw new CrateSchemaError({ table, column: clustered.name }, 'the CLUSTERED BY column must be part of the primary key');
  }
  for (const column of config.partitionedBy) {
    if (isKeyless(column)) {
      throw new CrateSchemaError({ table, column: column.name }, `cannot partition by ${column.getSQLType()}: partition columns must be primitive types`);
    }
    if (keyColumns.size > 0 && !keyColumns.has(column)) {
      throw new CrateSchemaError(
        { table, column: column.name },
        'a PARTITIONED BY column must be part of the primary key when the table has one; add it to primaryKey({ columns })',
      );
    }
    if (column === clustered) {
      throw new CrateSchemaError({ table, column: column.name }, 'a column cannot be both CLUSTERED BY and PARTITIONED BY');
    }
    if (column.crate.index?.method === 'fulltext') {
      throw new CrateSchemaError({ table, column: column.name }, 'a PARTITIONED BY column cannot have a full-text index');
    }
    if (column.crate.columnstore === false) {
      throw new CrateSchemaError({ table, column: column.name }, 'a PARTITIONED BY column cannot turn off its columnstore');
    }
  }
  const names = new Set(config.columns.map((column) => column.name));
  for (const index of config.fulltextIndexes) {
    for (const source of index.columns) {
      if (source instanceof CrateColumn && !isUnboundedText(source)) {
        throw new CrateSchemaError(
          { table, column: source.name },
          `fulltextIndex('${index.name}') can only index TEXT or ARRAY(TEXT) columns; CrateDB refuses ${source.getSQLType()} as a source`,
        );
      }
    }
    if (names.has(index.name)) {
      throw new CrateSchemaError({ table, column: index.name }, `fulltextIndex('${index.name}') has the same name as a column`);
    }
  }
}

function foreignBuilderError(table: string, key: string, builder: unknown): CrateSchemaError {
  const config = (builder as { config?: { columnType?: string; generatedIdentity?: unknown } }).config;
  const type = config?.columnType ?? typeof builder;
  if (/Serial$/.test(type) || config?.generatedIdentity) {
    return new CrateSchemaError(
      { table, column: key },
      `${type} (serial / identity) is not supported: CrateDB has no sequences. Use text().primaryKey().defaultRandom() ` +
        '(gen_random_text_uuid()), or a timestamp, or an id made by the application',
    );
  }
  return new CrateSchemaError(
    { table, column: key },
    `${type} is not a drizzle-cratedb column; import the column builders from 'drizzle-cratedb' (text, integer, object, ...)`,
  );
}

function foreignExtraError(table: string, extra: unknown): CrateSchemaError {
  const kind = (extra as { constructor?: { name?: string } })?.constructor?.name ?? typeof extra;
  const advice: Record<string, string> = {
    IndexBuilder: 'CrateDB indexes every column by default and has no CREATE INDEX; use fulltextIndex() for full-text search, or .indexOff() to drop an index',
    IndexBuilderOn: 'CrateDB has no CREATE INDEX; every column is indexed by default',
    UniqueConstraintBuilder: 'CrateDB has no UNIQUE constraints; use the primary key',
    UniqueOnConstraintBuilder: 'CrateDB has no UNIQUE constraints; use the primary key',
    ForeignKeyBuilder: 'CrateDB has no foreign keys; join on the columns without a constraint',
  };
  return new CrateSchemaError(
    { table },
    `${kind} is not supported in crateTable(): ${advice[kind] ?? 'use primaryKey, check, fulltextIndex, clusteredBy, partitionedBy or withOptions'}`,
  );
}
