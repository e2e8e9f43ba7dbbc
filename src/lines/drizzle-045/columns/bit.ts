import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { nameAndConfig, positiveLength } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

interface BitRuntime {
  length: number;
}

export type CrateBitBuilderInitial<TName extends string> = CrateBitBuilder<BuilderInitial<TName, 'string', 'CrateBit', string>>;

export class CrateBitBuilder<T extends ColumnBuilderBaseConfig<'string', 'CrateBit'>> extends CrateColumnBuilder<T, BitRuntime> {
  static override readonly [entityKind]: string = 'CrateBitBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'BIT'>;

  constructor(name: T['name'], length: number) {
    super(name, 'string', 'CrateBit');
    this.config.length = length;
  }

  /** @internal */
  build(table: AnyPgTable): CrateBit<ColumnBaseConfig<'string', 'CrateBit'>> {
    return new CrateBit(table, this.config as never, scalarShape(`BIT(${this.config.length})`, { kind: 'bit', length: this.config.length }));
  }
}

/**
 * `BIT(n)`, as a string of `0` and `1` (`'0101'`). CrateDB sends bit strings as `B'0101'`; the prefix is removed.
 * A value of the wrong length or with other characters is refused before sending.
 */
export class CrateBit<T extends ColumnBaseConfig<'string', 'CrateBit'>> extends CrateColumn<T, BitRuntime> {
  static override readonly [entityKind]: string = 'CrateBit';

  readonly length = this.config.length;
}

/** `BIT(n)`: a fixed-length bit string, given and returned as `'0101'`. */
export function bit(config: { length: number }): CrateBitBuilderInitial<''>;
export function bit<TName extends string>(name: TName, config: { length: number }): CrateBitBuilderInitial<TName>;
export function bit(a: string | { length: number }, b?: { length: number }): CrateBitBuilderInitial<any> {
  const [name, config] = nameAndConfig(a, b);
  return new CrateBitBuilder(name, positiveLength('bit', name, config?.length));
}
