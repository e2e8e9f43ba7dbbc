import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { BigintMode } from '../../../columns/values.js';
import { bigintMode, nameAndConfig } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

export type { BigintMode };

interface BigintRuntime {
  mode: BigintMode;
}

export type CrateBigintBuilderInitial<TName extends string, TMode extends BigintMode> = CrateBigintBuilder<
  BuilderInitial<TName, TMode extends 'bigint' ? 'bigint' : 'number', 'CrateBigint', TMode extends 'bigint' ? bigint : number, number | bigint>
>;

export class CrateBigintBuilder<T extends ColumnBuilderBaseConfig<'number' | 'bigint', 'CrateBigint'>> extends CrateColumnBuilder<T, BigintRuntime> {
  static override readonly [entityKind]: string = 'CrateBigintBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'BIGINT'>;

  constructor(name: T['name'], mode: BigintMode) {
    super(name, (mode === 'bigint' ? 'bigint' : 'number') as T['dataType'], 'CrateBigint');
    this.config.mode = mode;
  }

  /** @internal */
  build(table: AnyPgTable): CrateBigint<ColumnBaseConfig<'number' | 'bigint', 'CrateBigint'>> {
    return new CrateBigint(table, this.config as never, scalarShape('BIGINT', { kind: 'bigint', mode: this.config.mode }));
  }
}

/**
 * `BIGINT`. The transport hands over values beyond 2^53 as exact `bigint`s; in `number` mode such a value is an
 * error naming the column rather than a silently rounded number.
 */
export class CrateBigint<T extends ColumnBaseConfig<'number' | 'bigint', 'CrateBigint'>> extends CrateColumn<T, BigintRuntime> {
  static override readonly [entityKind]: string = 'CrateBigint';

  readonly mode: BigintMode = this.config.mode;
}

/** `BIGINT`, as `number` (default; values beyond 2^53 fail loudly) or as `bigint` (`{ mode: 'bigint' }`). */
export function bigint<TMode extends BigintMode = 'number'>(config?: { mode: TMode }): CrateBigintBuilderInitial<'', TMode>;
export function bigint<TName extends string, TMode extends BigintMode = 'number'>(
  name: TName,
  config?: { mode: TMode },
): CrateBigintBuilderInitial<TName, TMode>;
export function bigint(a?: string | { mode: BigintMode }, b?: { mode: BigintMode }): CrateBigintBuilderInitial<any, BigintMode> {
  const [name, config] = nameAndConfig(a, b);
  return new CrateBigintBuilder(name, bigintMode(name, config));
}
