import { CrateNumberBuilder } from './scalars.js';

/**
 * `BYTE`: an 8-bit integer, -128..127. A value out of range or with a fraction is refused before sending: CrateDB
 * would refuse it in a plain insert, but drop the row without an error in `UPDATE ... SET b = b + 1` or
 * `INSERT ... SELECT`, which no client check can see (keep such arithmetic in range, or use SMALLINT).
 */
export function byte(name?: string): CrateNumberBuilder<{ dataType: 'number int8'; data: number; driverParam: number }> {
  return new CrateNumberBuilder(name ?? '', 'number int8', 'CrateByte', 'BYTE', { kind: 'integer', bits: 8 });
}
