/**
 * Fixed-type scalars: BOOLEAN, SMALLINT, INTEGER, REAL, DOUBLE PRECISION, IP. One builder class serves them all; the
 * factory sets the SQL type, the value spec, and the data type Drizzle v1's validators read (pg-core's for the same
 * kind of value, so `drizzle-orm/zod` bounds integers as it does for pg).
 */
import { entityKind, type ColumnType } from 'drizzle-orm';
import type { ValueSpec } from '../../../columns/values.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

interface ScalarRuntime {
  sqlType: string;
  spec: ValueSpec;
}

export class CrateScalarBuilder<T extends { dataType: ColumnType; data: unknown; driverParam: unknown }> extends CrateColumnBuilder<T, ScalarRuntime> {
  static override readonly [entityKind]: string = 'CrateScalarBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'BOOLEAN' | 'IP'>;

  constructor(name: string, dataType: T['dataType'], columnType: string, sqlType: string, spec: ValueSpec) {
    super(name, dataType, columnType);
    this.config.sqlType = sqlType;
    this.config.spec = spec;
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape(this.config.sqlType, this.config.spec);
  }
}

/** Numeric scalars additionally accept `columnstore(false)`. */
export class CrateNumberBuilder<T extends { dataType: ColumnType; data: number; driverParam: unknown }> extends CrateScalarBuilder<T> {
  static override readonly [entityKind]: string = 'CrateNumberBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'SMALLINT' | 'INTEGER' | 'REAL' | 'DOUBLE PRECISION'>;
}

function numberFactory<TDataType extends ColumnType>(dataType: TDataType, columnType: string, sqlType: string, spec: ValueSpec) {
  return (name?: string): CrateNumberBuilder<{ dataType: TDataType; data: number; driverParam: number }> =>
    new CrateNumberBuilder(name ?? '', dataType, columnType, sqlType, spec);
}

/** `SMALLINT`: 16-bit integer; values outside -32768..32767 or with a fraction are refused before sending. */
export const smallint = numberFactory('number int16', 'CrateSmallint', 'SMALLINT', { kind: 'integer', bits: 16 });
/** `INTEGER`: 32-bit integer; values out of range or with a fraction are refused before sending. */
export const integer = numberFactory('number int32', 'CrateInteger', 'INTEGER', { kind: 'integer', bits: 32 });
/** `REAL`: 32-bit float; NaN and ±Infinity are refused (JSON cannot carry them). */
export const real = numberFactory('number float', 'CrateReal', 'REAL', { kind: 'float', bits: 32 });
/** `DOUBLE PRECISION`: 64-bit float; NaN and ±Infinity are refused (JSON cannot carry them). */
export const doublePrecision = numberFactory('number double', 'CrateDoublePrecision', 'DOUBLE PRECISION', { kind: 'float', bits: 64 });

/** `BOOLEAN`. */
export function boolean(name?: string): CrateScalarBuilder<{ dataType: 'boolean'; data: boolean; driverParam: boolean }> {
  return new CrateScalarBuilder(name ?? '', 'boolean', 'CrateBoolean', 'BOOLEAN', { kind: 'boolean' });
}

/** `IP`: an IPv4 or IPv6 address, as a string. */
export function ip(name?: string): CrateScalarBuilder<{ dataType: 'string inet'; data: string; driverParam: string }> {
  return new CrateScalarBuilder(name ?? '', 'string inet', 'CrateIp', 'IP', { kind: 'text' });
}
