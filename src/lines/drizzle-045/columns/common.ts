/**
 * The base of drizzle-cratedb's column builders and columns on Drizzle 0.45, and arrays of them. A builder records
 * CrateDB's clauses; the built column carries its CrateDB model (`crate`): shape, value spec and codec. What a type
 * allows is checked by the schema rules when the table is built, not here, so there is one place that knows.
 *
 * Arrays live here rather than in a file of their own: `.array()` is a method of every builder, and the array
 * builder is itself a builder, so a separate module would be an import cycle that breaks with load order.
 */
import {
  ColumnBuilder,
  entityKind,
  getTableName,
  type ColumnBaseConfig,
  type ColumnBuilderBaseConfig,
  type ColumnBuilderExtraConfig,
  type ColumnBuilderRuntimeConfig,
  type ColumnDataType,
  type HasGenerated,
  type SQL,
} from 'drizzle-orm';
import { ExtraConfigColumn, PgColumn, PgDialect, type AnyPgTable, type PgTable } from 'drizzle-orm/pg-core';
import { CrateSchemaError } from '../../../shared/errors.js';
import { codecFor, type ValueSpec, type Where } from '../../../columns/values.js';
import {
  emptyClauses,
  specOf,
  type ColumnShape,
  type CrateClauses,
  type CrateColumnLike,
  type CrateColumnModel,
} from '../../../dialect/column-model.js';
import { crateCapabilities, type CapabilitiesOf, type Capable } from '../../../columns/capabilities.js';
import { columnTypeSql, renderInline } from '../../../dialect/table-model.js';
import { mixInClauseMethods, type CrateClauseMethods } from '../../../dialect/builder-clauses.js';

export type { CrateCheck } from '../../../dialect/column-model.js';
export type { ColumnIndex as CrateColumnIndex } from '../../../columns/definition.js';

export type CrateRuntimeConfig = { crate: CrateClauses };

export { crateCapabilities, type CapabilitiesOf, type Capable };

/** A builder's type config as 0.45's ColumnBuilder takes it, in one line per column type. */
export type BuilderInitial<TName extends string, TDataType extends ColumnDataType, TColumnType extends string, TData, TDriverParam = TData> = {
  name: TName;
  dataType: TDataType;
  columnType: TColumnType;
  data: TData;
  driverParam: TDriverParam;
  enumValues: undefined;
};

/**
 * Base of every drizzle-cratedb column builder. It is a pg-core builder as far as Drizzle's typing goes (dialect
 * 'pg'), so tables work with every pg-core query builder, but it knows CrateDB's column clauses.
 */
export abstract class CrateColumnBuilder<
  T extends ColumnBuilderBaseConfig<ColumnDataType, string> = ColumnBuilderBaseConfig<ColumnDataType, string>,
  TRuntimeConfig extends object = object,
  TTypeConfig extends object = object,
  TExtraConfig extends ColumnBuilderExtraConfig = ColumnBuilderExtraConfig,
> extends ColumnBuilder<T, TRuntimeConfig & CrateRuntimeConfig, TTypeConfig & { dialect: 'pg' }, TExtraConfig> {
  static override readonly [entityKind]: string = 'CrateColumnBuilder';

  constructor(name: T['name'], dataType: T['dataType'], columnType: T['columnType']) {
    super(name, dataType, columnType);
    this.config.crate = emptyClauses();
  }

  /** Type-only: which optional clauses this builder's type accepts (see {@link Capable}). */
  declare readonly [crateCapabilities]: { readonly indexOff?: true; readonly columnstore?: true; readonly fulltext?: true };

  /**
   * `GENERATED ALWAYS AS (expression)`: CrateDB computes and stores the value on insert. The expression may not
   * reference another generated column.
   */
  generatedAlwaysAs(as: SQL | T['data'] | (() => SQL)): HasGenerated<this, { type: 'always' }> {
    this.config.generated = { as, type: 'always', mode: 'stored' };
    return this as HasGenerated<this, { type: 'always' }>;
  }

  /**
   * `ARRAY(type)`: a column holding an array of this type. Nest with `.array('[][]')` (Drizzle v1's form, so schemas
   * read the same on both lines) or `.array().array()`.
   */
  array(): CrateArrayBuilderFor<this>;
  array<TDimensions extends ArrayDimensions>(dimensions: TDimensions): NestedArrayBuilder<this, TDimensions>;
  array(dimensions: ArrayDimensions = '[]'): unknown {
    let builder = new CrateArrayBuilder(this as unknown as AnyCrateColumnBuilder) as unknown as AnyCrateColumnBuilder;
    for (let depth = 1; depth < dimensionCount(dimensions); depth++) builder = new CrateArrayBuilder(builder) as unknown as AnyCrateColumnBuilder;
    return builder;
  }

  /** @internal drizzle's ColumnBuilder names a builder after its key when no name was given */
  declare setName: (name: string) => void;

  /** @internal called by crateTable */
  abstract build(table: AnyPgTable): CrateColumn;

  /** @internal pg-core's table factory asks every builder for inline foreign keys; CrateDB has none. */
  buildForeignKeys(): never[] {
    return [];
  }

  /** @internal the columns handed to a table's extra-config callback */
  buildExtraConfigColumn(table: AnyPgTable): ExtraConfigColumn {
    return new ExtraConfigColumn(table, this.config as never);
  }

  /** @internal the builder's runtime config, for builders that wrap other builders (arrays, objects) */
  getConfig(): ColumnBuilderRuntimeConfig<T['data'], TRuntimeConfig & CrateRuntimeConfig> {
    return this.config;
  }
}

// The clause methods are written once for both lines (src/dialect/builder-clauses.ts); 0.45's ColumnBuilder has no
// unique() or references() of its own, so these take what this line's builders always took.
export interface CrateColumnBuilder<
  T extends ColumnBuilderBaseConfig<ColumnDataType, string> = ColumnBuilderBaseConfig<ColumnDataType, string>,
  TRuntimeConfig extends object = object,
  TTypeConfig extends object = object,
  TExtraConfig extends ColumnBuilderExtraConfig = ColumnBuilderExtraConfig,
> extends CrateClauseMethods<[_name?: string], [_ref: () => unknown, _actions?: unknown]> {}
mixInClauseMethods(CrateColumnBuilder);

let renderer: PgDialect | undefined;
/** Sub-column defaults inside an object type are rendered without casing, so any pg dialect renders them alike. */
const renderForType = (expression: SQL): string => renderInline((query, source) => (renderer ??= new PgDialect()).sqlToQuery(query, source), expression);

/**
 * Base of every drizzle-cratedb column on Drizzle 0.45. `crate` is its CrateDB model; `getSQLType()` is the type as
 * CREATE TABLE spells it; values go through the type's codec (src/columns/values.ts) both ways.
 */
export abstract class CrateColumn<
  T extends ColumnBaseConfig<ColumnDataType, string> = ColumnBaseConfig<ColumnDataType, string>,
  TRuntimeConfig extends object = object,
> extends PgColumn<T, TRuntimeConfig & CrateRuntimeConfig> implements CrateColumnLike {
  static override readonly [entityKind]: string = 'CrateColumn';

  readonly crate: CrateColumnModel;
  /** Names the column in errors about its values. */
  protected readonly where: Where = () => `column "${getTableName(this.table)}"."${this.name}"`;

  constructor(table: AnyPgTable, config: ColumnBuilderRuntimeConfig<T['data'], TRuntimeConfig & CrateRuntimeConfig>, shape: ColumnShape) {
    super(table as PgTable, config);
    const spec = specOf(shape);
    this.crate = { clauses: config.crate, shape, spec, codec: codecFor(spec) };
  }

  getSQLType(): string {
    return columnTypeSql(this, renderForType);
  }

  override mapFromDriverValue(value: unknown): T['data'] {
    return this.crate.codec.decode(value, this.where) as T['data'];
  }

  override mapToDriverValue(value: unknown): unknown {
    return this.crate.codec.encode(value, this.where);
  }
}

/** A column of a fixed scalar type whose class adds nothing: BOOLEAN, SMALLINT, INTEGER, REAL, DOUBLE, IP, TEXT... */
export class CrateScalar<T extends ColumnBaseConfig<ColumnDataType, string> = ColumnBaseConfig<ColumnDataType, string>> extends CrateColumn<T> {
  static override readonly [entityKind]: string = 'CrateScalar';
}

/** The shape of a column of a scalar type. */
export function scalarShape(typeName: string, spec: ValueSpec): ColumnShape {
  return { kind: 'scalar', typeName, spec };
}

/** A builder of any drizzle-cratedb column type, for places that accept any of them (object sub-columns). */
export type AnyCrateColumnBuilder = CrateColumnBuilder<ColumnBuilderBaseConfig<ColumnDataType, string>, object, object>;

export type CrateArrayBuilderFor<TElement extends { _: { data: unknown; name: string } }> = CrateArrayBuilder<
  BuilderInitial<TElement['_']['name'], 'array', 'CrateArray', (TElement['_'] extends { $type: infer U } ? U : TElement['_']['data'])[], unknown[]>
>;

/** Array nesting as Drizzle v1 writes it: `'[]'` one level, `'[][]'` two, up to five. */
export type ArrayDimensions = '[]' | '[][]' | '[][][]' | '[][][][]' | '[][][][][]';

type NestedArrayBuilder<TElement extends { _: { data: unknown; name: string } }, TDimensions extends ArrayDimensions> = TDimensions extends '[]'
  ? CrateArrayBuilderFor<TElement>
  : TDimensions extends `[]${infer TRest extends ArrayDimensions}`
    ? NestedArrayBuilder<CrateArrayBuilderFor<TElement>, TRest>
    : never;

function dimensionCount(dimensions: ArrayDimensions): number {
  if (!/^(\[\]){1,5}$/.test(dimensions)) {
    throw new CrateSchemaError({ option: `array('${String(dimensions)}')` }, 'column-builder', "array dimensions are written '[]', '[][]', ... up to five levels");
  }
  return dimensions.length / 2;
}

interface ArrayRuntime {
  element: AnyCrateColumnBuilder;
}

/** `ARRAY(element)`. Clauses set on the element before `.array()` (index, full-text) apply to the array column. */
export class CrateArrayBuilder<T extends ColumnBuilderBaseConfig<'array', 'CrateArray'>> extends CrateColumnBuilder<T, ArrayRuntime> {
  static override readonly [entityKind]: string = 'CrateArrayBuilder';
  // The element type decides at run time; the type level allows what some element type allows.
  declare readonly [crateCapabilities]: { readonly indexOff: true; readonly columnstore: true; readonly fulltext: true };

  constructor(element: AnyCrateColumnBuilder) {
    const elementConfig = element.getConfig();
    super(elementConfig.name as T['name'], 'array', 'CrateArray');
    this.config.element = element;
    // The index clauses of a column apply to every element; move them from the element to the array column.
    this.config.crate.index = elementConfig.crate.index;
    this.config.crate.columnstore = elementConfig.crate.columnstore;
    elementConfig.crate.index = undefined;
    elementConfig.crate.columnstore = undefined;
    if (elementConfig.notNull || elementConfig.hasDefault || elementConfig.primaryKey || elementConfig.generated) {
      this.config.crate.problems.push({
        rule: 'array-element',
        message: 'array elements cannot carry notNull(), default(), primaryKey() or generatedAlwaysAs(); call them after .array()',
      });
    }
    if (elementConfig.crate.checks.length > 0) this.config.crate.problems.push({ rule: 'array-element', message: 'call check() after .array(), on the array column' });
    // What the element's own methods recorded (unique(), references()) is reported for the array column.
    this.config.crate.problems.push(...elementConfig.crate.problems);
  }

  /** @internal */
  build(table: AnyPgTable): CrateArray<ColumnBaseConfig<'array', 'CrateArray'>> {
    this.config.element.setName(this.config.name);
    const element = this.config.element.build(table);
    return new CrateArray(table, this.config, { kind: 'array', element: element.crate.shape }, element);
  }
}

export class CrateArray<T extends ColumnBaseConfig<'array', 'CrateArray'>> extends CrateColumn<T, ArrayRuntime> {
  static override readonly [entityKind]: string = 'CrateArray';

  constructor(
    table: AnyPgTable,
    config: CrateArrayBuilder<ColumnBuilderBaseConfig<'array', 'CrateArray'>>['config'],
    shape: ColumnShape,
    readonly element: CrateColumn,
  ) {
    super(table, config as never, shape);
  }
}
