import {
  entityKind,
  type ColumnBaseConfig,
  type ColumnBuilderBase,
  type ColumnBuilderBaseConfig,
} from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { ObjectPolicy } from '../../../columns/definition.js';
import { objectPolicy } from '../../../columns/builder-args.js';
import type { EffectivePolicy, ObjectValue } from '../../../columns/object-types.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, type AnyCrateColumnBuilder, type BuilderInitial } from './common.js';

export type { EffectivePolicy, ObjectPolicy, ObjectValue };

/** Sub-columns of an object: any drizzle-cratedb builders, objects included. */
export type ObjectColumns = Record<string, ColumnBuilderBase>;

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

export type CrateObjectBuilderInitial<TName extends string, TData> = CrateObjectBuilder<BuilderInitial<TName, 'json', 'CrateObject', TData, unknown>>;

export class CrateObjectBuilder<T extends ColumnBuilderBaseConfig<'json', 'CrateObject'>> extends CrateColumnBuilder<T, ObjectRuntime> {
  static override readonly [entityKind]: string = 'CrateObjectBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'OBJECT'>;

  constructor(name: T['name'], config: ObjectRuntime) {
    super(name, 'json', 'CrateObject');
    Object.assign(this.config, config);
    for (const [key, column] of Object.entries(config.columns)) {
      if (!(column instanceof CrateColumnBuilder)) {
        this.config.crate.problems.push({
          rule: 'column-builder',
          message: `sub-column "${key}" must be a drizzle-cratedb column builder (text(), integer(), object(), ...)`,
        });
        continue;
      }
      column.setName(key);
    }
  }

  /** @internal */
  build(table: AnyPgTable): CrateObject<ColumnBaseConfig<'json', 'CrateObject'>> {
    const columns = Object.fromEntries(
      Object.entries(this.config.columns)
        .filter((entry) => entry[1] instanceof CrateColumnBuilder)
        .map(([key, builder]) => [key, builder.build(table)]),
    );
    const { policy, isArray } = this.config;
    return new CrateObject(table, this.config, { kind: 'object', policy, columns, isArray });
  }
}

/** `OBJECT(policy) [AS (...)]`, or `ARRAY(OBJECT(...))` for objectArray(). */
export class CrateObject<T extends ColumnBaseConfig<'json', 'CrateObject'>> extends CrateColumn<T, ObjectRuntime> {
  static override readonly [entityKind]: string = 'CrateObject';

  readonly policy = this.config.policy;
  readonly isArray = this.config.isArray;

  /** Declared sub-columns by their TypeScript key. */
  get columns(): Readonly<Record<string, CrateColumn>> {
    return (this.crate.shape as unknown as { columns: Record<string, CrateColumn> }).columns;
  }
}

function makeObject(
  a: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined> | undefined,
  b: ObjectConfig<ObjectColumns, ObjectPolicy | undefined> | undefined,
  isArray: boolean,
): CrateObjectBuilder<any> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  const columns = (config?.columns ?? {}) as Record<string, AnyCrateColumnBuilder>;
  const policy = objectPolicy(isArray ? 'objectArray' : 'object', name, config?.policy, Object.keys(columns).length > 0);
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
