import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import {
  CrateColumn,
  CrateColumnBuilder,
  crateCapabilities,
  registerArrayBuilder,
  type AnyCrateColumnBuilder,
  type CrateColumnCapabilities,
} from './common.js';


interface ArrayRuntime {
  element: AnyCrateColumnBuilder;
}

export type CrateArrayBuilderFor<TElement extends { _: { data: unknown; name: string } }> = CrateArrayBuilder<{
  name: TElement['_']['name'];
  dataType: 'array';
  columnType: 'CrateArray';
  data: (TElement['_'] extends { $type: infer U } ? U : TElement['_']['data'])[];
  driverParam: unknown[];
  enumValues: undefined;
}>;

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
      this.problem('array elements cannot carry notNull(), default(), primaryKey() or generatedAlwaysAs(); call them after .array()');
    }
    if (elementConfig.crate.checks.length > 0) this.problem('call check() after .array(), on the array column');
    if (elementConfig.columnType === 'CrateFloatVector') {
      this.problem('FLOAT_VECTOR cannot be an array element in CrateDB');
    }
  }

  /** An array takes the index and storage clauses its element type takes; it is never a key nor an object. */
  protected override get capabilities(): CrateColumnCapabilities {
    const element = this.config.element.getCapabilities();
    return { ...element, primaryKey: false, default: true };
  }

  /** @internal */
  build(table: AnyPgTable): CrateArray<ColumnBaseConfig<'array', 'CrateArray'>> {
    this.config.element.setName(this.config.name);
    return new CrateArray(table, this.config, this.config.element.build(table));
  }

  /** @internal */
  override checkDeclaration(tableName: string): void {
    super.checkDeclaration(tableName);
    this.config.element.checkDeclaration(tableName);
  }
}

export class CrateArray<T extends ColumnBaseConfig<'array', 'CrateArray'>> extends CrateColumn<T, ArrayRuntime> {
  static override readonly [entityKind]: string = 'CrateArray';

  constructor(
    table: AnyPgTable,
    config: CrateArrayBuilder<ColumnBuilderBaseConfig<'array', 'CrateArray'>>['config'],
    readonly element: CrateColumn,
  ) {
    super(table, config as never);
  }

  getSQLType(): string {
    return `ARRAY(${this.element.getSQLType()})`;
  }

  override get mapsIdentically(): boolean {
    return this.element.mapsIdentically;
  }

  override mapFromDriverValue(value: unknown): T['data'] {
    if (this.element.mapsIdentically || !Array.isArray(value)) return value as T['data'];
    return value.map((item) => (item === null ? null : this.element.mapFromDriverValue(item))) as T['data'];
  }

  override mapToDriverValue(value: unknown): unknown[] {
    if (!Array.isArray(value)) throw new TypeError(`${this.describe()}: expected an array, got ${typeof value}`);
    if (this.element.mapsIdentically) return value;
    return value.map((item) => (item === null || item === undefined ? null : this.element.mapToDriverValue(item)));
  }
}

registerArrayBuilder((element) => new CrateArrayBuilder(element));
