/**
 * Fixed-type scalars whose values cross the wire unchanged: BOOLEAN, SMALLINT, INTEGER, REAL, DOUBLE PRECISION, IP.
 * One builder class serves them all; the factory sets the SQL type and which clauses the type allows.
 */
import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig, type ColumnDataType } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CrateColumnCapabilities } from './common.js';

interface ScalarRuntime {
  sqlType: string;
  scalarCapabilities: CrateColumnCapabilities;
}

const NUMBER: CrateColumnCapabilities = { indexOff: true, columnstore: true, fulltext: false, primaryKey: true, default: true };
const OTHER: CrateColumnCapabilities = { indexOff: true, columnstore: false, fulltext: false, primaryKey: true, default: true };

export class CrateScalarBuilder<T extends ColumnBuilderBaseConfig<ColumnDataType, string>> extends CrateColumnBuilder<T, ScalarRuntime> {
  static override readonly [entityKind]: string = 'CrateScalarBuilder';
  declare readonly [crateCapabilities]: { readonly indexOff: true };

  constructor(name: T['name'], dataType: T['dataType'], columnType: T['columnType'], sqlType: string, capabilities: CrateColumnCapabilities) {
    super(name, dataType, columnType);
    this.config.sqlType = sqlType;
    this.config.scalarCapabilities = capabilities;
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return this.config.scalarCapabilities;
  }

  /** @internal */
  build(table: AnyPgTable): CrateScalar<ColumnBaseConfig<ColumnDataType, string>> {
    return new CrateScalar(table, this.config);
  }
}

/** Numeric scalars additionally accept `columnstore(false)`. */
export class CrateNumberBuilder<T extends ColumnBuilderBaseConfig<'number', string>> extends CrateScalarBuilder<T> {
  static override readonly [entityKind]: string = 'CrateNumberBuilder';
  declare readonly [crateCapabilities]: { readonly indexOff: true; readonly columnstore: true };
}

export class CrateScalar<T extends ColumnBaseConfig<ColumnDataType, string>> extends CrateColumn<T, ScalarRuntime> {
  static override readonly [entityKind]: string = 'CrateScalar';

  getSQLType(): string {
    return this.config.sqlType;
  }
}

type Initial<TName extends string, TDataType extends ColumnDataType, TColumnType extends string, TData> = {
  name: TName;
  dataType: TDataType;
  columnType: TColumnType;
  data: TData;
  driverParam: TData;
  enumValues: undefined;
};

type NumberBuilder<TName extends string, TColumnType extends string> = CrateNumberBuilder<Initial<TName, 'number', TColumnType, number>>;

function numberFactory<TColumnType extends string>(columnType: TColumnType, sqlType: string) {
  function factory(): NumberBuilder<'', TColumnType>;
  function factory<TName extends string>(name: TName): NumberBuilder<TName, TColumnType>;
  function factory(name = ''): NumberBuilder<any, TColumnType> {
    return new CrateNumberBuilder(name, 'number', columnType, sqlType, NUMBER);
  }
  return factory;
}

/** `SMALLINT`: 16-bit integer. */
export const smallint = numberFactory('CrateSmallint', 'SMALLINT');
/** `INTEGER`: 32-bit integer. */
export const integer = numberFactory('CrateInteger', 'INTEGER');
/** `REAL`: 32-bit float. */
export const real = numberFactory('CrateReal', 'REAL');
/** `DOUBLE PRECISION`: 64-bit float. */
export const doublePrecision = numberFactory('CrateDoublePrecision', 'DOUBLE PRECISION');

/** `BOOLEAN`. */
export function boolean(): CrateScalarBuilder<Initial<'', 'boolean', 'CrateBoolean', boolean>>;
export function boolean<TName extends string>(name: TName): CrateScalarBuilder<Initial<TName, 'boolean', 'CrateBoolean', boolean>>;
export function boolean(name = ''): CrateScalarBuilder<Initial<any, 'boolean', 'CrateBoolean', boolean>> {
  return new CrateScalarBuilder(name, 'boolean', 'CrateBoolean', 'BOOLEAN', OTHER);
}

/** `IP`: an IPv4 or IPv6 address, as a string. */
export function ip(): CrateScalarBuilder<Initial<'', 'string', 'CrateIp', string>>;
export function ip<TName extends string>(name: TName): CrateScalarBuilder<Initial<TName, 'string', 'CrateIp', string>>;
export function ip(name = ''): CrateScalarBuilder<Initial<any, 'string', 'CrateIp', string>> {
  return new CrateScalarBuilder(name, 'string', 'CrateIp', 'IP', OTHER);
}
