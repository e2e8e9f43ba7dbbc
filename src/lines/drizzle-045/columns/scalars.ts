/**
 * Fixed-type scalars: BOOLEAN, SMALLINT, INTEGER, REAL, DOUBLE PRECISION, IP. One builder class serves them all; the
 * factory sets the SQL type and the value spec (integers are range-checked, floats must be finite).
 */
import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig, type ColumnDataType } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { ValueSpec } from '../../../columns/values.js';
import { CrateColumnBuilder, CrateScalar, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

interface ScalarRuntime {
  sqlType: string;
  spec: ValueSpec;
}

export class CrateScalarBuilder<T extends ColumnBuilderBaseConfig<ColumnDataType, string>> extends CrateColumnBuilder<T, ScalarRuntime> {
  static override readonly [entityKind]: string = 'CrateScalarBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'BOOLEAN' | 'IP'>;

  constructor(name: T['name'], dataType: T['dataType'], columnType: T['columnType'], sqlType: string, spec: ValueSpec) {
    super(name, dataType, columnType);
    this.config.sqlType = sqlType;
    this.config.spec = spec;
  }

  /** @internal */
  build(table: AnyPgTable): CrateScalar<ColumnBaseConfig<ColumnDataType, string>> {
    return new CrateScalar(table, this.config as never, scalarShape(this.config.sqlType, this.config.spec));
  }
}

/** Numeric scalars additionally accept `columnstore(false)`. */
export class CrateNumberBuilder<T extends ColumnBuilderBaseConfig<'number', string>> extends CrateScalarBuilder<T> {
  static override readonly [entityKind]: string = 'CrateNumberBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'SMALLINT' | 'INTEGER' | 'REAL' | 'DOUBLE PRECISION'>;
}

type NumberBuilder<TName extends string, TColumnType extends string> = CrateNumberBuilder<BuilderInitial<TName, 'number', TColumnType, number>>;

function numberFactory<TColumnType extends string>(columnType: TColumnType, sqlType: string, spec: ValueSpec) {
  function factory(): NumberBuilder<'', TColumnType>;
  function factory<TName extends string>(name: TName): NumberBuilder<TName, TColumnType>;
  function factory(name = ''): NumberBuilder<any, TColumnType> {
    return new CrateNumberBuilder(name, 'number', columnType, sqlType, spec);
  }
  return factory;
}

/** `SMALLINT`: 16-bit integer; values outside -32768..32767 or with a fraction are refused before sending. */
export const smallint = numberFactory('CrateSmallint', 'SMALLINT', { kind: 'integer', bits: 16 });
/** `INTEGER`: 32-bit integer; values out of range or with a fraction are refused before sending. */
export const integer = numberFactory('CrateInteger', 'INTEGER', { kind: 'integer', bits: 32 });
/** `REAL`: 32-bit float; NaN and ±Infinity are refused (JSON cannot carry them). */
export const real = numberFactory('CrateReal', 'REAL', { kind: 'float', bits: 32 });
/** `DOUBLE PRECISION`: 64-bit float; NaN and ±Infinity are refused (JSON cannot carry them). */
export const doublePrecision = numberFactory('CrateDoublePrecision', 'DOUBLE PRECISION', { kind: 'float', bits: 64 });

/** `BOOLEAN`. */
export function boolean(): CrateScalarBuilder<BuilderInitial<'', 'boolean', 'CrateBoolean', boolean>>;
export function boolean<TName extends string>(name: TName): CrateScalarBuilder<BuilderInitial<TName, 'boolean', 'CrateBoolean', boolean>>;
export function boolean(name = ''): CrateScalarBuilder<BuilderInitial<any, 'boolean', 'CrateBoolean', boolean>> {
  return new CrateScalarBuilder(name, 'boolean', 'CrateBoolean', 'BOOLEAN', { kind: 'boolean' });
}

/** `IP`: an IPv4 or IPv6 address, as a string. */
export function ip(): CrateScalarBuilder<BuilderInitial<'', 'string', 'CrateIp', string>>;
export function ip<TName extends string>(name: TName): CrateScalarBuilder<BuilderInitial<TName, 'string', 'CrateIp', string>>;
export function ip(name = ''): CrateScalarBuilder<BuilderInitial<any, 'string', 'CrateIp', string>> {
  return new CrateScalarBuilder(name, 'string', 'CrateIp', 'IP', { kind: 'text' });
}
