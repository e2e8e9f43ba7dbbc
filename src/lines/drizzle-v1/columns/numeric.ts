import { entityKind } from 'drizzle-orm';
import type { NumericMode } from '../../../columns/values.js';
import { nameAndConfig, numericArgs, numericTypeName, type NumericArgs } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

type NumericConfig<TMode extends NumericMode> = TMode extends 'string'
  ? { dataType: 'string numeric'; data: string; driverParam: string | number }
  : { dataType: 'number'; data: number; driverParam: string | number };

interface NumericRuntime {
  precision: number;
  scale: number | undefined;
  mode: NumericMode;
}

/**
 * `NUMERIC(p, s)`. CrateDB answers NUMERIC as a JSON number over HTTP, so a value with more than 15 significant
 * digits loses precision on the way back; `{ mode: 'string' }` sends exact strings and returns strings. A value with
 * more decimal places than the scale is refused rather than rounded by the server.
 */
export class CrateNumericBuilder<TMode extends NumericMode = NumericMode> extends CrateColumnBuilder<NumericConfig<TMode>, NumericRuntime> {
  static override readonly [entityKind]: string = 'CrateNumericBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'NUMERIC'>;

  constructor(name: string, config: NumericRuntime) {
    super(name, config.mode === 'string' ? 'string numeric' : 'number', 'CrateNumeric');
    Object.assign(this.config, config);
  }

  protected elementShape(_table: PgTable): ColumnShape {
    const { precision, scale, mode } = this.config;
    return scalarShape(numericTypeName(precision, scale), { kind: 'numeric', mode, precision, scale });
  }
}

/** `NUMERIC(precision, scale)`; CrateDB requires the precision in CREATE TABLE. */
export function numeric<TMode extends NumericMode = 'number'>(config: NumericArgs & { mode?: TMode }): CrateNumericBuilder<TMode>;
export function numeric<TMode extends NumericMode = 'number'>(name: string, config: NumericArgs & { mode?: TMode }): CrateNumericBuilder<TMode>;
export function numeric(a: string | NumericArgs, b?: NumericArgs): CrateNumericBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateNumericBuilder(name, numericArgs(name, config));
}
