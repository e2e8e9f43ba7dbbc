import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CrateColumnCapabilities } from './common.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: true, columnstore: true, fulltext: false, primaryKey: true, default: true };

export type BigintMode = 'number' | 'bigint';

interface BigintRuntime {
  mode: BigintMode;
}

export type CrateBigintBuilderInitial<TName extends string, TMode extends BigintMode> = CrateBigintBuilder<{
  name: TName;
  dataType: TMode extends 'bigint' ? 'bigint' : 'number';
  columnType: 'CrateBigint';
  data: TMode extends 'bigint' ? bigint : number;
  driverParam: number | bigint;
  enumValues: undefined;
}>;

export class CrateBigintBuilder<T extends ColumnBuilderBaseConfig<'number' | 'bigint', 'CrateBigint'>> extends CrateColumnBuilder<T, BigintRuntime> {
  static override readonly [entityKind]: string = 'CrateBigintBuilder';
  declare readonly [crateCapabilities]: { readonly indexOff: true; readonly columnstore: true };

  constructor(name: T['name'], mode: BigintMode) {
    super(name, (mode === 'bigint' ? 'bigint' : 'number') as T['dataType'], 'CrateBigint');
    this.config.mode = mode;
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** @internal */
  build(table: AnyPgTable): CrateBigint<ColumnBaseConfig<'number' | 'bigint', 'CrateBigint'>> {
    return new CrateBigint(table, this.config);
  }
}

/**
 * `BIGINT`. The transport hands over values beyond 2^53 as exact `bigint`s; in `number` mode such a value is an
 * error naming the column rather than a silently rounded number.
 */
export class CrateBigint<T extends ColumnBaseConfig<'number' | 'bigint', 'CrateBigint'>> extends CrateColumn<T, BigintRuntime> {
  static override readonly [entityKind]: string = 'CrateBigint';

  readonly mode: BigintMode = this.config.mode;

  getSQLType(): string {
    return 'BIGINT';
  }

  override get mapsIdentically(): boolean {
    return false;
  }

  override mapFromDriverValue(value: unknown): T['data'] {
    if (this.mode === 'bigint') {
      return (typeof value === 'bigint' ? value : BigInt(value as number | string)) as T['data'];
    }
    if (typeof value === 'number') return value as T['data'];
    const exact = BigInt(value as bigint | string);
    if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(
        `${this.describe()}: ${exact} is beyond Number.MAX_SAFE_INTEGER and would be rounded; declare the column ` +
          `bigint('${this.name}', { mode: 'bigint' })`,
      );
    }
    return Number(exact) as T['data'];
  }

  override mapToDriverValue(value: unknown): number | bigint {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new RangeError(`${this.describe()}: ${value} is not an exact integer; pass a bigint for values beyond 2^53`);
    }
    return value as number | bigint;
  }
}

/** `BIGINT`, as `number` (default; values beyond 2^53 fail loudly) or as `bigint` (`{ mode: 'bigint' }`). */
export function bigint<TMode extends BigintMode = 'number'>(config?: { mode: TMode }): CrateBigintBuilderInitial<'', TMode>;
export function bigint<TName extends string, TMode extends BigintMode = 'number'>(
  name: TName,
  config?: { mode: TMode },
): CrateBigintBuilderInitial<TName, TMode>;
export function bigint(a?: string | { mode: BigintMode }, b?: { mode: BigintMode }): CrateBigintBuilderInitial<any, BigintMode> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  return new CrateBigintBuilder(name, config?.mode ?? 'number');
}
