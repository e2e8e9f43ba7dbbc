import { entityKind } from 'drizzle-orm';
import { nameAndConfig, positiveLength } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

/**
 * `BIT(n)`, as a string of `0` and `1` (`'0101'`). CrateDB sends bit strings as `B'0101'`; the prefix is removed.
 * A value of the wrong length or with other characters is refused before sending; v1's validators check the same
 * (`string binary` of exactly n characters).
 */
export class CrateBitBuilder extends CrateColumnBuilder<{ dataType: 'string binary'; data: string; driverParam: string }, { length: number; isLengthExact: true }> {
  static override readonly [entityKind]: string = 'CrateBitBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'BIT'>;

  constructor(name: string, length: number) {
    super(name, 'string binary', 'CrateBit');
    this.config.length = length;
    this.config.isLengthExact = true;
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape(`BIT(${this.config.length})`, { kind: 'bit', length: this.config.length });
  }
}

/** `BIT(n)`: a fixed-length bit string, given and returned as `'0101'`. */
export function bit(config: { length: number }): CrateBitBuilder;
export function bit(name: string, config: { length: number }): CrateBitBuilder;
export function bit(a: string | { length: number }, b?: { length: number }): CrateBitBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateBitBuilder(name, positiveLength('bit', name, config?.length));
}
