import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CrateColumnCapabilities } from './common.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: true, columnstore: true, fulltext: false, primaryKey: true, default: true };

export type NumericMode = 'number' | 'string';

interface NumericRuntime {
  precision: number;
  scale: number | undefined;
  mode: NumericMode;
}

export type CrateNumericBuilderInitial<TName extends string, TMode extends NumericMode> = CrateNumericBuilder<{
  name: TName;
  dataType: TMode extends 'string' ? 'string' : 'number';
  columnType: 'CrateNumeric';
  data: TMode extends 'string' ? string : number;
  driverParam: number | string;
  enumValues: undefined;
}>;

export class CrateNumericBuilder<T extends ColumnBuilderBaseConfig<'number' | 'string', 'CrateNumeric'>> extends CrateColumnBuilder<T, NumericRuntime> {
  static override readonly [entityKind]: string = 'CrateNumericBuilder';
  declare readonly [crateCapabilities]: { readonly indexOff: true; readonly columnstore: true };

  constructor(name: T['name'], config: NumericRuntime) {
    super(name, (config.mode === 'string' ? 'string' : 'number') as T['dataType'], 'CrateNumeric');
    Object.assign(this.config, config);
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** @internal */
  build(table: AnyPgTable): CrateNumeric<ColumnBaseConfig<'number' | 'string', 'CrateNumeric'>> {
    return new CrateNumeric(table, this.config);
  }
}

/**
 * `NUMERIC(p, s)`. CrateDB answers NUMERIC as a JSON number over HTTP, so a value with more than 15 significant
 * digits loses precision on the way back; `{ mode: 'string' }` sends exact strings and returns strings.
 */
export class CrateNumeric<T extends ColumnBaseConfig<'number' | 'string', 'CrateNumeric'>> extends CrateColumn<T, NumericRuntime> {
  static override readonly [entityKind]: string = 'CrateNumeric';

  readonly precision = this.config.precision;
  readonly scale = this.config.scale;

  getSQLType(): string {
    return this.scale === undefined ? `NUMERIC(${this.precision})` : `NUMERIC(${this.precision}, ${this.scale})`;
  }

  override get mapsIdentically(): boolean {
    return false;
  }

  override mapFromDriverValue(value: unknown): T['data'] {
    if (this.config.mode === 'string') return String(value) as T['data'];
    return (typeof value === 'number' ? value : Number(value)) as T['data'];
  }
}

export interface NumericConfig<TMode extends NumericMode> {
  precision: number;
  scale?: number;
  mode?: TMode;
}

/** `NUMERIC(precision, scale)`; CrateDB requires the precision in CREATE TABLE. */
export function numeric<TMode extends NumericMode = 'number'>(config: NumericConfig<TMode>): CrateNumericBuilderInitial<'', TMode>;
export function numeric<TName extends string, TMode extends NumericMode = 'number'>(
  name: TName,
  config: NumericConfig<TMode>,
): CrateNumericBuilderInitial<TName, TMode>;
export function numeric(a: string | NumericConfig<NumericMode>, b?: NumericConfig<NumericMode>): CrateNumericBuilderInitial<any, NumericMode> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  const { precision, scale, mode = 'number' } = config ?? ({} as Partial<NumericConfig<NumericMode>>);
  if (precision === undefined || !Number.isInteger(precision) || precision < 1) {
    throw new TypeError(`numeric(${name ? `'${name}', ` : ''}{ precision }): CrateDB needs a positive integer precision in CREATE TABLE`);
  }
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 0 || scale > precision)) {
    throw new TypeError(`numeric(${name ? `'${name}', ` : ''}{ scale }): scale must be an integer between 0 and the precision`);
  }
  return new CrateNumericBuilder(name, { precision, scale, mode });
}
