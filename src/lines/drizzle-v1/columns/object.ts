import { entityKind } from 'drizzle-orm';
import type { ObjectPolicy } from '../../../columns/definition.js';
import { nameAndConfig, objectPolicy } from '../../../columns/builder-args.js';
import type { ColumnShape, CrateColumnLike } from '../../../dialect/column-model.js';
import type { EffectivePolicy, ObjectValue } from '../../../columns/object-types.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf } from './common.js';
import type { PgTable } from 'drizzle-orm/pg-core';

export type { EffectivePolicy, ObjectPolicy, ObjectValue };

/** Sub-columns of an object: any drizzle-cratedb builders, objects included. */
export type ObjectColumns = Record<string, { readonly _: { readonly data: unknown } }>;

export interface ObjectConfig<TColumns extends ObjectColumns, TPolicy extends ObjectPolicy | undefined> {
  policy?: TPolicy;
  columns?: TColumns;
}

interface ObjectRuntime {
  policy: ObjectPolicy;
  columns: Record<string, CrateColumnBuilder>;
}

/** `OBJECT(policy) [AS (...)]`; `.array()` (or objectArray()) makes it `ARRAY(OBJECT(...))`. */
export class CrateObjectBuilder<TData = Record<string, unknown>> extends CrateColumnBuilder<{ dataType: 'object'; data: TData; driverParam: unknown }, ObjectRuntime> {
  static override readonly [entityKind]: string = 'CrateObjectBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'OBJECT'>;

  constructor(name: string, config: ObjectRuntime) {
    super(name, 'object', 'CrateObject');
    Object.assign(this.config, config);
    for (const [key, column] of Object.entries(config.columns)) {
      if (!(column instanceof CrateColumnBuilder)) {
        this.config.crate.problems.push({
          rule: 'column-builder',
          message: `sub-column "${key}" must be a drizzle-cratedb column builder (text(), integer(), object(), ...)`,
        });
        continue;
      }
      // Sub-column names are document keys: no casing applies to them.
      (column as unknown as { setName(name: string, casing: (key: string) => string): void }).setName(key, (k) => k);
    }
  }

  protected elementShape(table: PgTable): ColumnShape {
    const columns: Record<string, CrateColumnLike> = {};
    for (const [key, builder] of Object.entries(this.config.columns)) {
      if (builder instanceof CrateColumnBuilder) columns[key] = builder.build(table);
    }
    return { kind: 'object', policy: this.config.policy, columns, isArray: false };
  }
}

function makeObject(
  a: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined> | undefined,
  b: ObjectConfig<ObjectColumns, ObjectPolicy | undefined> | undefined,
  isArray: boolean,
): CrateObjectBuilder<any> {
  const [name, config] = nameAndConfig(a, b);
  const columns = (config?.columns ?? {}) as Record<string, CrateColumnBuilder>;
  const policy = objectPolicy(isArray ? 'objectArray' : 'object', name, config?.policy, Object.keys(columns).length > 0);
  const builder = new CrateObjectBuilder(name, { policy, columns });
  return isArray ? (builder.array() as unknown as CrateObjectBuilder<any>) : builder;
}

/**
 * `OBJECT`: a nested document. Without `columns` it is `OBJECT(DYNAMIC)` and typed `Record<string, unknown>`; with
 * `columns` it is `OBJECT(STRICT) AS (...)` (or the given policy) and typed from the sub-columns.
 */
export function object<TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilder<ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>>;
export function object<TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  name: string,
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilder<ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>>;
export function object(
  a?: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
  b?: ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
): CrateObjectBuilder<any> {
  return makeObject(a, b, false);
}

/** `ARRAY(OBJECT(...))`: a list of nested documents, typed as an array of the object type; the same as `object().array()`. */
export function objectArray<TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilder<ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>[]>;
export function objectArray<TColumns extends ObjectColumns = {}, TPolicy extends ObjectPolicy | undefined = undefined>(
  name: string,
  config?: ObjectConfig<TColumns, TPolicy>,
): CrateObjectBuilder<ObjectValue<TColumns, EffectivePolicy<TColumns, TPolicy>>[]>;
export function objectArray(
  a?: string | ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
  b?: ObjectConfig<ObjectColumns, ObjectPolicy | undefined>,
): CrateObjectBuilder<any> {
  return makeObject(a, b, true);
}
