import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { nameAndConfig, vectorDimensions } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

export { MAX_VECTOR_DIMENSIONS } from '../../../columns/values.js';

interface VectorRuntime {
  dimensions: number;
}

export type CrateFloatVectorBuilderInitial<TName extends string> = CrateFloatVectorBuilder<BuilderInitial<TName, 'array', 'CrateFloatVector', number[]>>;

export class CrateFloatVectorBuilder<T extends ColumnBuilderBaseConfig<'array', 'CrateFloatVector'>> extends CrateColumnBuilder<T, VectorRuntime> {
  static override readonly [entityKind]: string = 'CrateFloatVectorBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'FLOAT_VECTOR'>;

  constructor(name: T['name'], dimensions: number) {
    super(name, 'array', 'CrateFloatVector');
    this.config.dimensions = dimensions;
  }

  /** @internal */
  build(table: AnyPgTable): CrateFloatVector<ColumnBaseConfig<'array', 'CrateFloatVector'>> {
    const { dimensions } = this.config;
    return new CrateFloatVector(table, this.config as never, scalarShape(`FLOAT_VECTOR(${dimensions})`, { kind: 'float_vector', dimensions }));
  }
}

/** `FLOAT_VECTOR(n)`: a vector of the wrong length, or with an element that is not a finite float32, is refused. */
export class CrateFloatVector<T extends ColumnBaseConfig<'array', 'CrateFloatVector'>> extends CrateColumn<T, VectorRuntime> {
  static override readonly [entityKind]: string = 'CrateFloatVector';

  readonly dimensions = this.config.dimensions;
}

/** `FLOAT_VECTOR(n)`: `n` float32 values (1 to 2048), searched with `knnMatch()`. */
export function floatVector(config: { dimensions: number }): CrateFloatVectorBuilderInitial<''>;
export function floatVector<TName extends string>(name: TName, config: { dimensions: number }): CrateFloatVectorBuilderInitial<TName>;
export function floatVector(a: string | { dimensions: number }, b?: { dimensions: number }): CrateFloatVectorBuilderInitial<any> {
  const [name, config] = nameAndConfig(a, b);
  return new CrateFloatVectorBuilder(name, vectorDimensions(name, config?.dimensions));
}
