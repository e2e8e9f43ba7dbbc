import { CrateNumberBuilder } from './scalars.js';

type ByteBuilder<TName extends string> = CrateNumberBuilder<{
  name: TName;
  dataType: 'number';
  columnType: 'CrateByte';
  data: number;
  driverParam: number;
  enumValues: undefined;
}>;

/**
 * `BYTE`: an 8-bit integer, -128..127. A value out of range or with a fraction is refused before sending: CrateDB
 * would refuse it in a plain insert, but drop the row without an error in `UPDATE ... SET b = b + 1` or
 * `INSERT ... SELECT`, which no client check can see (keep such arithmetic in range, or use SMALLINT).
 */
export function byte(): ByteBuilder<''>;
export function byte<TName extends string>(name: TName): ByteBuilder<TName>;
export function byte(name = ''): ByteBuilder<any> {
  return new CrateNumberBuilder(name, 'number', 'CrateByte', 'BYTE', { kind: 'integer', bits: 8 });
}
