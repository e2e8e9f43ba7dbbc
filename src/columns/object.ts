import {
  entityKind,
  type ColumnBaseConfig,
  type ColumnBuilderBase,
  type ColumnBuilderBaseConfig,
  type Simplify,
} from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import {
  CrateColumn,
  CrateColumnBuilder,
  crateCapabilities,
  type AnyCrateColumnBuilder,
  type CrateColumnCapabilities,
} from './common.js';
import { CrateSchemaError } from '../dialect/errors.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: false, columnstore: false, fulltext: false, primaryKey: false, default: false };

/** `dynamic`: new keys become new sub-columns; `strict`: unknown keys are refused; `ignored`: kept, not indexed. */
export type ObjectPolicy = 'dynamic' | 'strict' | 'ignored';

/** Sub-columns of an object: any drizzle-cratedb builders, objects included. */
export type ObjectColumns = Record<string, ColumnBuilderBase>;

type BuilderData<B extends ColumnBuilderBase> = B['_'] extends { $type: infer U } ? U : B['_']['data'];
type IsRequired<B extends ColumnBuilderBase> = B['_']['notNull'] extends true
  ? B['_']['hasDefault'] extends true
    ? false
    : true
  : false;

/**
 * The value of an object column: declared sub-columns typed (required when `notNull()` without a default, optional
 * otherwise, as CrateDB leaves absent keys out), plus any other key unless the policy is strict.
 */
export type ObjectValue<TColumns extends ObjectColumns, TPolicy extends ObjectPolicy> = Simplify<
  {
    [K in keyof TColumns as IsRequired<TColumns[K]> extends true ? K : never]: BuilderData<TColumns[K]>;
  } & {
    [K in keyof TColumns as IsRequired<TColumns[K]> extends true ? never : K]?: BuilderData<TColumns[K]> | null;
  } & (TPolicy extends 'strict' ? {} : { [key: string]: unknown })
>;

/** The policy in force: the given one, else STRICT when sub-columns are declared and DYNAMIC when not. */
export type EffectivePolicy<TColumns extends ObjectColumns, TPolicy extends ObjectPolicy | undefined> = TPolicy extends ObjectPolicy
  ? TPolicy
  : {} extends TColumns
    ? 'dynamic'
    : 'strict';

export interface ObjectConfig<TColumns extends ObjectColumns, TPolicy extends ObjectPolicy | undefined> {
  policy?: TPolicy;
  columns?: TColumns;
}

interface ObjectRuntime {
  policy: ObjectPolicy;
  columns: Record<string, AnyCrateColumnBuilder>;
  /** true for objectArray(): ARRAY(OBJECT(...)) */
  isArray: boolean;
}

export type CrateObjectBuilderInitial<TName extends string, TData> = CrateObjectBuilder<{
  name: TName;
  dataType: 'json';
  columnType: 'CrateObject';
  data: TData;
  driverParam: unknown;
  enumValues: undefined;
}>;

export class CrateObjectBuilder<T extends ColumnBuilderBaseConfig<'json', 'CrateObject'>> extends CrateColumnBuilder<T, ObjectRuntime> {
  static override readonly [entityKind]: string = 'CrateObjectBuilder';
  declare readonly [crateCapabilities]: {};

  constructor(name: T['name'], config: ObjectRuntime) {
    super(name, 'json', 'CrateObject');
    Object.assign(this.config, config);
    for (const [key, column] of Object.entries(config.columns)) {
      if (!(column instanceof CrateColumnBuilder)) {
        this.problem(`sub-column "${key}" must be a drizzle-cratedb column builder (text(), integer(), object(), ...)`);
        continue;
      }
      column.setName(key);
    }
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** @internal */
  build(table: AnyPgTable): CrateObject<ColumnBaseConfig<'json', 'CrateObject'>> {
    const columns = Object.fromEntries(Object.entries(this.config.columns).map(([key, builder]) => [key, builder.build(table)]));
    return new CrateObject(table, this.config, columns);
  }

  /** @internal sub-columns are checked too, named by their path, e.g. `details['address']['zip']`. */
  override checkDeclaration(tableName: string, path = this.config.name): void {
    super.checkDeclaration(tableName);
    for (const [key, builder] of Object.entries(this.config.columns)) {
      const subPath = `${path}['${key}']`;
      const sub = builder.getConfig();
      const fail = (rule: string) => {
        throw new CrateSchemaError({ table: tableName, column: subPath }, rule);
      };
      if (sub.primaryKey) fail('an object sub-column cannot be declared primaryKey() here; CrateDB keys are top-level columns');
      if (sub.generated) fail('generated sub-columns are not supported inside objects; generate a top-level column instead');
      if (sub.crate.checks.length > 0) {
        fail("inline CHECK on object sub-columns needs CrateDB 6.5; use a table-level check(name, sql`...`) on the sub-column");
      }
      if (builder instanceof CrateObjectBuilder) {
        builder.checkDeclaration(tableName, subPath);
      } else {
        try {
          builder.checkDeclaration(tableName);
        } catch (error) {
          if (error instanceof CrateSchemaError) fail(error.message.replace(/^.*?column "[^"]*": /, ''));
          throw error;
        }
      }
    }
  }
}

/** `OBJECT(policy) [AS (...)]`, or `ARRAY(OBJECT(...))` for objectArray(). */
export class CrateObject<T extends ColumnBaseConfig<'json', 'CrateObject'>> extends CrateColumn<T, ObjectRuntime> {
  static override readonly [entityKind]: string = 'CrateObject';

  readonly policy = this.config.policy;
  readonly isArray = this.config.isArray;
  /** Declared sub-columns by their TypeScript key. */
  readonly columns: Readonly<Record<string, CrateColumn>>;
  private readonly mapped: [key: string, dbName: string, column: CrateColumn][];
  private readonly identical: boolean;

  constructor(table: AnyPgTable, config: CrateObjectBuilder<ColumnBuilderBaseConfig<'json', 'CrateObject'>>['config'], columns: Record<string, CrateColumn>) {
    super(table, config as never);
    this.columns = columns;
    this.mapped = Object.entries(columns).map(([key, column]) => [key, column.name, column]);
    this.identical = this.mapped.every(([key, name, column]) => key === name && column.mapsIdentically);
  }

  getSQLType(): string {
    const inner = Object.values(this.columns).map((column) => `"${column.name.replace(/"/g, '""')}" ${column.getSQLType()}`);
    const object = `OBJECT(${this.policy.toUpperCase()})${inner.length ? ` AS (${inner.join(', ')})` : ''}`;
    return this.isArray ? `ARRAY(${object})` : object;
  }

  override get mapsIdentically(): boolean {
    return this.identical;
  }

  override mapFromDriverValue(value: unknown): T['data'] {
    if (this.identical) return value as T['data'];
    return (this.isArray && Array.isArray(value) ? value.map((item) => this.fromDriver(item)) : this.fromDriver(value)) as T['data'];
  }

  override mapToDriverValue(value: unknown): unknown {
    if (this.isArray) {
      if (!Array.isArray(value)) throw new TypeError(`${this.describe()}: expected an array of objects, got ${typeof value}`);
      return this.identical ? value : value.map((item) => this.toDriver(item));
    }
    return this.identical ? value : this.toDriver(value);
  }

  private fromDriver(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = { ...source };
    for (const [key, dbName, column] of this.mapped) {
      if (!(dbName in source)) continue;
      if (key !== dbName) delete result[dbName];
      const item = source[dbName];
      result[key] = item === null ? null : column.mapFromDriverValue(item);
    }
    return result;
  }

  private toDriver(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = { ...source };
    for (const [key, dbName, column] of this.mapped) {
      if (!(key in source)) continue;
      if (key !== dbName) delete result[key];
      const item = source[key];
      result[dbName] = item === null || item === undefined ? item : column.mapToDriverValue(item);
    }
    return result;
  }
}

function makeObject(
  a: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined> | undefined,
  b: ObjectConfig<ObjectColumns, ObjectPolicy | undefined> | undefined,
  isArray: boolean,
): CrateObjectBuilder<any> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  const columns = (config?.columns ?? {}) as Record<string, AnyCrateColumnBuilder>;
  const policy = config?.policy ?? (Object.keys(columns).length > 0 ? 'strict' : 'dynamic');
  if (!['dynamic', 'strict', 'ignored'].includes(policy)) {
    throw new TypeError(`object(${name ? `'${name}'` : ''}): policy must be 'dynamic', 'strict' or 'ignored', got '${String(policy)}'`);
  }
  return new CrateObjectBuilder(name, { policy, columns, isArray });
}

/**
 * `OBJECT`: a nested document. Without `columns` it is `OBJECT(DYNAMIC)` and typed `Record<string, unknown>`; with
 * `columns` it is `OBJECT(STRICT) AS (...)` (or the given policy) and typed from the sub-columns.
 */
export function object<TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilderInitial<'', ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>>;
export function object<TName extends string, TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  name: TName,
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilderInitial<TName, ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>>;
export function object(
  a?: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
  b?: ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
): CrateObjectBuilder<any> {
  return makeObject(a, b, false);
}

/** `ARRAY(OBJECT(...))`: a list of nested documents, typed as an array of the object type. */
export function objectArray<TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilderInitial<'', ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>[]>;
export function objectArray<TName extends string, TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  name: TName,
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilderInitial<TName, ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>[]>;
export function objectArray(
  a?: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
  b?: ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
): CrateObjectBuilder<any> {
  return makeObject(a, b, true);
}
