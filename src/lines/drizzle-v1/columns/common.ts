/**
 * The base of drizzle-cratedb's column builders and columns on Drizzle v1. As on 0.45, a builder records CrateDB's
 * clauses and the built column carries its CrateDB model (`crate`); what a type allows is checked by the schema
 * rules when the table is built. v1's own conventions apply: `.array(dimensions)` makes arrays, and the value
 * mappers are instance fields (a prototype method would be shadowed by the base class's field and never called).
 */
import { entityKind, getTableName, type ColumnType, type SQL } from 'drizzle-orm';
import { PgColumn, PgColumnBuilder, PgDialect, type PgColumnBaseConfig, type PgColumnBuilderConfig, type PgTable, type SetDimensions } from 'drizzle-orm/pg-core';
import type { ValueSpec, Where } from '../../../columns/values.js';
import { codecFor } from '../../../columns/values.js';
import { crateCapabilities, type CapabilitiesOf, type Capable } from '../../../columns/capabilities.js';
import {
  arrayOf,
  emptyClauses,
  specOf,
  type ColumnShape,
  type CrateClauses,
  type CrateColumnLike,
  type CrateColumnModel,
} from '../../../dialect/column-model.js';
import { columnTypeSql, renderInline } from '../../../dialect/table-model.js';
import { mixInClauseMethods, type CrateClauseMethods } from '../../../dialect/builder-clauses.js';

export { crateCapabilities, type CapabilitiesOf, type Capable };

export type CrateRuntimeConfig = { crate: CrateClauses; dimensions?: number };

type ArrayDimensionString = '[]' | '[][]' | '[][][]' | '[][][][]' | '[][][][][]';
type DimensionCount<T extends ArrayDimensionString> = T extends '[]' ? 1 : T extends '[][]' ? 2 : T extends '[][][]' ? 3 : T extends '[][][][]' ? 4 : 5;

/** Base of every drizzle-cratedb column builder on Drizzle v1: a pg-core builder that knows CrateDB's clauses. */
export abstract class CrateColumnBuilder<
  T extends PgColumnBuilderConfig = PgColumnBuilderConfig,
  TRuntimeConfig extends object = object,
> extends PgColumnBuilder<T, TRuntimeConfig & CrateRuntimeConfig> {
  static override readonly [entityKind]: string = 'CrateColumnBuilder';

  constructor(name: string, dataType: ColumnType, columnType: string) {
    super(name, dataType, columnType);
    this.config.crate = emptyClauses();
  }

  /** Type-only: which optional clauses this builder's type accepts (see {@link Capable}). */
  declare readonly [crateCapabilities]: { readonly indexOff?: true; readonly columnstore?: true; readonly fulltext?: true };

  /**
   * `ARRAY(type)`, nested with `.array('[][]')` as in Drizzle v1's pg-core. Calling it twice would silently make a
   * one-level array (v1 sets the dimensions, it does not add to them), so that is refused when the table is built.
   */
  override array(): SetDimensions<this, 1>;
  override array<TDim extends ArrayDimensionString>(dimensions: TDim): SetDimensions<this, DimensionCount<TDim>>;
  override array(dimensions?: ArrayDimensionString): unknown {
    if (this.config.dimensions !== undefined) {
      this.config.crate.problems.push({
        rule: 'column-builder',
        message: ".array() was called twice; Drizzle v1 nests arrays with one call: .array('[][]')",
      });
    }
    return dimensions === undefined ? super.array() : super.array(dimensions);
  }

  /** @internal the shape of this column's element type; `.array()` wraps it. */
  protected abstract elementShape(table: PgTable): ColumnShape;

  /** @internal called by crateTable */
  build(table: PgTable): CrateColumn {
    return new CrateColumn(table, this.config as never, arrayOf(this.elementShape(table), this.config.dimensions ?? 0));
  }

  /** @internal pg-core's table factory asks every builder for inline foreign keys; CrateDB has none. */
  buildForeignKeys(): never[] {
    return [];
  }

  /** @internal the builder's runtime config, for builders that hold others (objects) */
  getConfig(): CrateRuntimeConfig & { name: string; primaryKey: boolean } {
    return this.config;
  }
}

// The clause methods are written once for both lines (src/dialect/builder-clauses.ts), with the parameters of v1's
// own unique() and references(), which they replace (a merged declaration must match the base's exactly).
export interface CrateColumnBuilder<T extends PgColumnBuilderConfig = PgColumnBuilderConfig, TRuntimeConfig extends object = object>
  extends CrateClauseMethods<Parameters<PgColumnBuilder['unique']>, Parameters<PgColumnBuilder['references']>> {}
mixInClauseMethods(CrateColumnBuilder);

/** The shape of a column of a scalar type. */
export function scalarShape(typeName: string, spec: ValueSpec): ColumnShape {
  return { kind: 'scalar', typeName, spec };
}

let renderer: PgDialect | undefined;
/** Sub-column defaults inside an object type are rendered without casing, so any pg dialect renders them alike. */
const renderForType = (expression: SQL): string =>
  renderInline((query, source) => (renderer ??= new PgDialect()).sqlToQuery(query, source), expression);

/**
 * Every drizzle-cratedb column on Drizzle v1. `crate` is its CrateDB model; `getSQLType()` is the type as CREATE
 * TABLE spells it; values go through the type's codec (src/columns/values.ts) both ways. A codec that changes
 * nothing on the way back leaves Drizzle's noop decoder in place, which Drizzle's mappers skip.
 */
export class CrateColumn<TColumnType extends ColumnType = ColumnType, T extends PgColumnBaseConfig<TColumnType> = PgColumnBaseConfig<TColumnType>>
  extends PgColumn<TColumnType, T, CrateRuntimeConfig>
  implements CrateColumnLike
{
  static override readonly [entityKind]: string = 'CrateColumn';

  readonly crate: CrateColumnModel;

  constructor(table: PgTable, config: ConstructorParameters<typeof PgColumn<TColumnType, T, CrateRuntimeConfig>>[1], shape: ColumnShape) {
    super(table, config);
    const spec = specOf(shape);
    const codec = codecFor(spec);
    this.crate = { clauses: config.crate, shape, spec, codec };
    const where: Where = () => `column "${getTableName(table)}"."${this.name}"`;
    if (!codec.decodesIdentically) this.mapFromDriverValue = (value: unknown) => codec.decode(value, where);
    if (!codec.encodesIdentically) this.mapToDriverValue = (value: unknown) => codec.encode(value, where);
  }

  getSQLType(): string {
    return columnTypeSql(this, renderForType);
  }

  /** @internal pg-core would wrap the mappers to work per array element; the codec already handles the dimensions. */
  postBuild(): this {
    return this;
  }
}
