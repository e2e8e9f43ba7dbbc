import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { NumericMode } from '../../../columns/values.js';
import { nameAndConfig, numericArgs, numericTypeName, type NumericArgs } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

export type { NumericMode };

interface NumericRuntime {
  precision: number;
  scale: number | undefined;
  mode: NumericMode;
}

export type CrateNumericBuilderInitial<TName extends string, TMode extends NumericMode> = CrateNumericBuilder<
  BuilderInitial<TName, TMode extends 'string' ? 'string' : 'number', 'CrateNumeric', TMode extends 'string' ? string : number, number | string>
>;

export class CrateNumericBuilder<T extends ColumnBuilderBaseConfig<'number' | 'string', 'CrateNumeric'>> extends CrateColumnBuilder<T, NumericRuntime> {
  static override readonly [entityKind]: string = 'CrateNumericBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'NUMERIC'>;

  constructor(name: T['name'], config: NumericRuntime) {
    super(name, (config.mode === 'string' ? 'string' : 'number') as T['dataType'], 'CrateNumeric');
    Object.assign(this.config, config);
  }

  /** @internal */
  build(table: AnyPgTable): CrateNumeric<ColumnBaseConfig<'number' | 'string', 'CrateNumeric'>> {
    const { precision, scale, mode } = this.config;
    return new CrateNumeric(table, this.config as never, scalarShape(numericTypeName(precision, scale), { kind: 'numeric', mode, precision, scale }));
  }
}

/**
 * `NUMERIC(p, s)`. CrateDB answers NUMERIC as a JSON number over HTTP, so a value with more than 15 significant
 * digits loses precision on the way back; `{ mode: 'string' }` sends exact strings and returns strings. A value with
 * more decimal places than the scale is refused rather than rounded by the server.
 */
export class CrateNumeric<T extends ColumnBaseConfig<'number' | 'string', 'CrateNumeric'>> extends CrateColumn<T, NumericRuntime> {
  static override readonly [entityKind]: string = 'CrateNumeric';

  readonly precision = this.config.precision;
  readonly scale = this.config.scale;
}

export type NumericConfig<TMode extends NumericMode> = NumericArgs & { mode?: TMode };

/** `NUMERIC(precision, scale)`; CrateDB requires the precision in CREATE TABLE. */
export function numeric<TMode extends NumericMode = 'number'>(config: NumericConfig<TMode>): CrateNumericBuilderInitial<'', TMode>;
export function numeric<TName extends string, TMode extends NumericMode = 'number'>(
  name: TName,
  config: NumericConfig<TMode>,
): CrateNumericBuilderInitial<TName, TMode>;
export function numeric(a: string | NumericConfig<NumericMode>, b?: NumericConfig<NumericMode>): CrateNumericBuilderInitial<any, NumericMode> {
  const [name, config] = nameAndConfig(a, b);
  return new CrateNumericBuilder(name, numericArgs(name, config));
}
