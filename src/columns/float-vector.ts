import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CrateColumnCapabilities } from './common.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: true, columnstore: false, fulltext: false, primaryKey: false, default: true };
/** CrateDB's limit for FLOAT_VECTOR dimensions. */
export const MAX_VECTOR_DIMENSIONS = 2048;

interface VectorRuntime {
  dimensions: number;
}

export type CrateFloatVectorBuilderInitial<TName extends string> = CrateFloatVectorBuilder<{
  name: TName;
  dataType: 'array';
  columnType: 'CrateFloatVector';
  data: number[];
  driverParam: number[];
  enumValues: undefined;
}>;

export class CrateFloatVectorBuilder<T extends ColumnBuilderBaseConfig<'array', 'CrateFloatVector'>> extends CrateColumnBuilder<T, VectorRuntime> {
  static override readonly [entityKind]: string = 'CrateFloatVectorBuilder';
  declare readonly [crateCapabilities]: { readonly indexOff: true };

  constructor(name: T['name'], dimensions: number) {
    super(name, 'array', 'CrateFloatVector');
    this.config.dimensions = dimensions;
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** @internal */
  build(table: AnyPgTable): CrateFloatVector<ColumnBaseConfig<'array', 'CrateFloatVector'>> {
    return new CrateFloatVector(table, this.config);
  }
}

export class CrateFloatVector<T extends ColumnBaseConfig<'array', 'CrateFloatVector'>> extends CrateColumn<T, VectorRuntime> {
  static override readonly [entityKind]: string = 'CrateFloatVector';

  readonly dimensions = this.config.dimensions;

  getSQLType(): string {
    return `FLOAT_VECTOR(${this.dimensions})`;
  }

  override get mapsIdentically(): boolean {
    return false;
  }

  /** Checks the length and that every element is a finite number, so a bad vector fails before it is sent. */
  override mapToDriverValue(value: unknown): number[] {
    if (!Array.isArray(value) || value.length !== this.dimensions) {
      const got = Array.isArray(value) ? `${value.length} values` : typeof value;
      throw new RangeError(`${this.describe()}: expected ${this.dimensions} numbers, got ${got}`);
    }
    for (const [i, element] of value.entries()) {
      if (typeof element !== 'number' || !Number.isFinite(element)) {
        throw new TypeError(`${this.describe()}: element ${i} is ${String(element)}, not a finite number`);
      }
    }
    return value as number[];
  }
}

/** `FLOAT_VECTOR(n)`: `n` float32 values (1 to 2048), searched with `knnMatch()`. */
export function floatVector(config: { dimensions: number }): CrateFloatVectorBuilderInitial<''>;
export function floatVector<TName extends string>(name: TName, config: { dimensions: number }): CrateFloatVectorBuilderInitial<TName>;
export function floatVector(a: string | { dimensions: number }, b?: { dimensions: number }): CrateFloatVectorBuilderInitial<any> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  const dimensions = config?.dimensions;
  if (dimensions === undefined || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_VECTOR_DIMENSIONS) {
    throw new TypeError(
      `floatVector(${name ? `'${name}', ` : ''}{ dimensions }): CrateDB needs an integer between 1 and ${MAX_VECTOR_DIMENSIONS}, got ${String(dimensions)}`,
    );
  }
  return new CrateFloatVectorBuilder(name, dimensions);
}
