/**
 * Object subscripts (`"details"['a']['b']`) as typed expressions, and partial object updates for `update().set()`.
 */
import { entityKind, is, Param, SQL, sql, type Column, type SQLWrapper } from 'drizzle-orm';
import { CrateArgumentError, CrateUnsupportedError } from '../../shared/errors.js';
import { subscripts } from '../../shared/sql-text.js';
import { isCrateColumn, objectShapeOf, type CrateColumnLike } from '../column-model.js';

/** The TypeScript value of a column or typed expression. */
export type ValueOf<T> = T extends Column ? T['_']['data'] : T extends SQL<infer U> ? U : T extends SQL.Aliased<infer U> ? U : unknown;

/** Keys available at a level: an object's keys, or the keys of the objects in an array. */
export type ObjectKeys<T> = unknown extends T
  ? string
  : NonNullable<T> extends readonly (infer E)[]
  ? ObjectKeys<E>
  : NonNullable<T> extends Record<string, unknown>
    ? Extract<keyof NonNullable<T>, string>
    : never;

/**
 * The value under `key`. Through an array of objects, a key yields the array of that key's values (CrateDB's
 * `"visits"['place']` is `ARRAY(TEXT)`). A key that may be absent reads as null.
 */
export type ValueAt<T, K extends string> = unknown extends T
  ? unknown
  : NonNullable<T> extends readonly (infer E)[]
  ? ValueAt<E, K>[]
  : NonNullable<T> extends Record<string, unknown>
    ? K extends keyof NonNullable<T>
      ? NonNullable<T>[K] | (undefined extends NonNullable<T>[K] ? null : never)
      : unknown
    : unknown;

type NoUndefined<T> = Exclude<T, undefined>;

/**
 * `"details"['a']['b']`: a sub-column as an expression, for select, where, orderBy and groupBy. Its type follows the
 * object's declared sub-columns; through an object array it is the array of that key's values, so it works with
 * `arrayAny()`. Keys are written as string literals: CrateDB does not take parameters inside subscripts.
 */
export function objectKey<C extends SQLWrapper, K1 extends ObjectKeys<ValueOf<C>>>(column: C, k1: K1): SQL<NoUndefined<ValueAt<ValueOf<C>, K1>> | null>;
export function objectKey<C extends SQLWrapper, K1 extends ObjectKeys<ValueOf<C>>, K2 extends ObjectKeys<ValueAt<ValueOf<C>, K1>>>(
  column: C,
  k1: K1,
  k2: K2,
): SQL<NoUndefined<ValueAt<ValueAt<ValueOf<C>, K1>, K2>> | null>;
export function objectKey<
  C extends SQLWrapper,
  K1 extends ObjectKeys<ValueOf<C>>,
  K2 extends ObjectKeys<ValueAt<ValueOf<C>, K1>>,
  K3 extends ObjectKeys<ValueAt<ValueAt<ValueOf<C>, K1>, K2>>,
>(column: C, k1: K1, k2: K2, k3: K3): SQL<NoUndefined<ValueAt<ValueAt<ValueAt<ValueOf<C>, K1>, K2>, K3>> | null>;
export function objectKey<
  C extends SQLWrapper,
  K1 extends ObjectKeys<ValueOf<C>>,
  K2 extends ObjectKeys<ValueAt<ValueOf<C>, K1>>,
  K3 extends ObjectKeys<ValueAt<ValueAt<ValueOf<C>, K1>, K2>>,
  K4 extends ObjectKeys<ValueAt<ValueAt<ValueAt<ValueOf<C>, K1>, K2>, K3>>,
>(column: C, k1: K1, k2: K2, k3: K3, k4: K4): SQL<NoUndefined<ValueAt<ValueAt<ValueAt<ValueAt<ValueOf<C>, K1>, K2>, K3>, K4>> | null>;
export function objectKey(column: SQLWrapper, ...path: string[]): SQL<unknown> {
  if (path.length === 0) throw new CrateArgumentError('objectKey(): give at least one key');
  for (const key of path) {
    if (typeof key !== 'string' || key === '') throw new CrateArgumentError(`objectKey(): keys must be non-empty strings, got ${String(key)}`);
  }
  const expression = sql`${column}${sql.raw(subscripts(path))}`;
  const decoder = subColumnAt(column, path);
  return decoder ? expression.mapWith(decoder as unknown as Parameters<SQL['mapWith']>[0]) : expression;
}

/** The declared sub-column at `path`, whose decoder narrows the value (e.g. a timestamp's mode). */
function subColumnAt(column: SQLWrapper, path: readonly string[]): CrateColumnLike | undefined {
  let current: unknown = column;
  let throughArray = false;
  for (const key of path) {
    const object = objectShapeOf(current);
    if (!object) return undefined;
    throughArray ||= object.throughArray;
    current = object.shape.columns[key];
  }
  // Values gathered through an object array come back as arrays; their elements are decoded by the transport.
  return throughArray || !isCrateColumn(current) ? undefined : current;
}

type DeepPartial<T> = T extends readonly unknown[] | Date
  ? T
  : T extends Record<string, unknown>
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;

/**
 * A partial update of an object column: `set({ details: objectPatch({ gender: 'f' }) })` writes
 * `SET "details"['gender'] = $1`, leaving the object's other keys as they are. Nested plain objects become nested
 * subscripts; `null` sets a key to null; arrays, dates and `sql` values are written whole. Pass the column first
 * (`objectPatch(t.details, {...})`) to have the patch checked against the declared sub-columns.
 */
export function objectPatch<C extends Column>(column: C, patch: DeepPartial<NonNullable<C['_']['data']>>): ObjectPatch;
export function objectPatch(patch: Record<string, unknown>): ObjectPatch;
export function objectPatch(a: Column | Record<string, unknown>, b?: Record<string, unknown>): ObjectPatch {
  const patch = b ?? (a as Record<string, unknown>);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch) || Object.keys(patch).length === 0) {
    throw new CrateArgumentError('objectPatch(): give an object with at least one key to set');
  }
  return new ObjectPatch(patch);
}

/**
 * The value `objectPatch()` returns. It is an SQL value only so that `update().set()` accepts it; the dialect expands
 * it into subscript assignments, and anywhere else it refuses to render.
 */
export class ObjectPatch extends SQL {
  static override readonly [entityKind]: string = 'CrateObjectPatch';

  constructor(readonly patch: Readonly<Record<string, unknown>>) {
    super([
      {
        getSQL: () => {
          throw new CrateArgumentError('objectPatch() only works as a value in update().set(); use the whole object elsewhere');
        },
      },
    ]);
  }

  /**
   * One assignment per leaf, in order: `"name"['a']['b'] = value`, each value encoded by the declared sub-column at
   * its path. `columnName` is the column's name in the database (after casing).
   */
  assignments(column: Column, columnName: string): SQL[] {
    if (objectShapeOf(column)?.throughArray) {
      throw new CrateUnsupportedError(`objectPatch() on object array "${columnName}"`, 'Set the whole array instead.');
    }
    const result: SQL[] = [];
    const walk = (value: Readonly<Record<string, unknown>>, path: string[], declared: unknown) => {
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        const subPath = [...path, key];
        const object = objectShapeOf(declared);
        const sub = object && !object.throughArray ? object.shape.columns[key] : undefined;
        if (isPlainObject(item) && !(sub !== undefined && objectShapeOf(sub) === undefined)) {
          walk(item, subPath, sub);
          continue;
        }
        const target = sql`${sql.identifier(columnName)}${sql.raw(subscripts(subPath))}`;
        const encoded = is(item, SQL) ? item : item === null ? sql`null` : new Param(item, sub as Column | undefined);
        result.push(sql`${target} = ${encoded}`);
      }
    };
    walk(this.patch, [], column);
    return result;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date || is(value, SQL)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
