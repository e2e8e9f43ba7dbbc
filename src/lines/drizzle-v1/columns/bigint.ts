import { entityKind } from 'drizzle-orm';
import type { BigintMode } from '../../../columns/values.js';
import { bigintMode, nameAndConfig } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

type BigintConfig<TMode extends BigintMode> = TMode extends 'bigint'
  ? { dataType: 'bigint int64'; data: bigint; driverParam: bigint | number }
  : { dataType: 'number int53'; data: number; driverParam: bigint | number };

/**
 * `BIGINT`. The transport hands over values beyond 2^53 as exact `bigint`s; in `number` mode such a value is an
 * error naming the column rather than a silently rounded number.
 */
export class CrateBigintBuilder<TMode extends BigintMode = BigintMode> extends CrateColumnBuilder<BigintConfig<TMode>, { mode: BigintMode }> {
  static override readonly [entityKind]: string = 'CrateBigintBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'BIGINT'>;

  constructor(name: string, mode: TMode) {
    super(name, mode === 'bigint' ? 'bigint int64' : 'number int53', 'CrateBigint');
    this.config.mode = mode;
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape('BIGINT', { kind: 'bigint', mode: this.config.mode });
  }
}

/** `BIGINT`, as `number` (default; values beyond 2^53 fail loudly) or as `bigint` (`{ mode: 'bigint' }`). */
export function bigint<TMode extends BigintMode = 'number'>(config?: { mode: TMode }): CrateBigintBuilder<TMode>;
export function bigint<TMode extends BigintMode = 'number'>(name: string, config?: { mode: TMode }): CrateBigintBuilder<TMode>;
export function bigint(a?: string | { mode: BigintMode }, b?: { mode: BigintMode }): CrateBigintBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateBigintBuilder(name, bigintMode(name, config));
}
