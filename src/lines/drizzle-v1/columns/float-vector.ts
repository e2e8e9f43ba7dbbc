import { entityKind } from 'drizzle-orm';
import { nameAndConfig, vectorDimensions } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

/**
 * `FLOAT_VECTOR(n)`: a vector of the wrong length, or with an element that is not a finite float32, is refused.
 * v1's validators see an `array vector` of exactly n numbers.
 */
export class CrateFloatVectorBuilder extends CrateColumnBuilder<
  { dataType: 'array vector'; data: number[]; driverParam: number[] },
  { vectorDimensions: number; length: number; isLengthExact: true }
> {
  static override readonly [entityKind]: string = 'CrateFloatVectorBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'FLOAT_VECTOR'>;

  constructor(name: string, dimensions: number) {
    super(name, 'array vector', 'CrateFloatVector');
    // `dimensions` is v1's array nesting; the vector's size is its `length`, as pg-core's vector() keeps it.
    this.config.vectorDimensions = dimensions;
    this.config.length = dimensions;
    this.config.isLengthExact = true;
  }

  protected elementShape(_table: PgTable): ColumnShape {
    const dimensions = this.config.vectorDimensions;
    return scalarShape(`FLOAT_VECTOR(${dimensions})`, { kind: 'float_vector', dimensions });
  }
}

/** `FLOAT_VECTOR(n)`: `n` float32 values (1 to 2048), searched with `knnMatch()`. */
export function floatVector(config: { dimensions: number }): CrateFloatVectorBuilder;
export function floatVector(name: string, config: { dimensions: number }): CrateFloatVectorBuilder;
export function floatVector(a: string | { dimensions: number }, b?: { dimensions: number }): CrateFloatVectorBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateFloatVectorBuilder(name, vectorDimensions(name, config?.dimensions));
}
