/**
 * Array predicates CrateDB can run. pg-core's `arrayContains` / `arrayContained` / `arrayOverlaps` use `@>`, `<@` and
 * `&&`, which CrateDB does not have; these are the working equivalents.
 */
import { is, Param, SQL, sql, type SQLWrapper } from 'drizzle-orm';
import { elementEncoder, isCrateColumn } from '../column-model.js';
import type { ValueOf } from './object.js';
import { CrateArgumentError } from '../../shared/errors.js';

export type AnyOperator = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'like' | 'ilike' | 'not like' | 'not ilike';
const OPERATORS = new Set<AnyOperator>(['=', '<>', '<', '<=', '>', '>=', 'like', 'ilike', 'not like', 'not ilike']);

type Element<T> = NonNullable<T> extends readonly (infer E)[] ? NonNullable<E> : unknown;

/** A value bound to the element type of `array` where that is a column, so it is encoded like the elements. */
function boundValue(array: SQLWrapper, value: unknown): unknown {
  if (is(value, SQL) || is(value, Param)) return value;
  const encoder = isCrateColumn(array) ? elementEncoder(array) : undefined;
  return encoder ? new Param(value, encoder as never) : value;
}

/**
 * `value <op> ANY(array)`: `arrayAny(t.tags, 'sci-fi')` is `$1 = ANY("tags")`. Works on an object array's key,
 * `arrayAny(objectKey(t.visits, 'place'), 'Earth')`. With `like`/`ilike` the array holds the patterns: the value is
 * matched against each element, as in SQL.
 */
export function arrayAny<A extends SQLWrapper>(array: A, value: Element<ValueOf<A>> | SQLWrapper, operator: AnyOperator = '='): SQL<boolean> {
  if (!OPERATORS.has(operator)) throw new CrateArgumentError(`arrayAny(): unknown operator '${String(operator)}'`);
  return sql`${boundValue(array, value)} ${sql.raw(operator.toUpperCase())} ANY(${array})`;
}

/** `value <op> ALL(array)`: true when the comparison holds for every element (and for an empty array). */
export function arrayAll<A extends SQLWrapper>(array: A, value: Element<ValueOf<A>> | SQLWrapper, operator: AnyOperator = '='): SQL<boolean> {
  if (!OPERATORS.has(operator)) throw new CrateArgumentError(`arrayAll(): unknown operator '${String(operator)}'`);
  return sql`${boundValue(array, value)} ${sql.raw(operator.toUpperCase())} ALL(${array})`;
}

/** A list of values as one array parameter (drizzle's `sql` would spread a plain array into `($1, $2, ...)`). */
function arrayParam(array: SQLWrapper, values: readonly unknown[] | SQLWrapper): unknown {
  if (!Array.isArray(values)) return values;
  return isCrateColumn(array) && array.crate.shape.kind === 'array' ? new Param(values, array) : new Param(values);
}

/** `array_length(array, 1)`: the number of elements, null for an empty or null array (CrateDB's semantics). */
export function arrayLength(array: SQLWrapper): SQL<number | null> {
  return sql`array_length(${array}, 1)`.mapWith(Number);
}

/** True when `array` holds every one of `values` (pg's `@>`): nothing of `values` is missing from it. */
export function arrayContains<A extends SQLWrapper>(array: A, values: readonly Element<ValueOf<A>>[] | SQLWrapper): SQL<boolean> {
  return sql`coalesce(array_length(array_difference(${arrayParam(array, values)}, ${array}), 1), 0) = 0`;
}

/** True when every element of `array` is one of `values` (pg's `<@`). */
export function arrayContained<A extends SQLWrapper>(array: A, values: readonly Element<ValueOf<A>>[] | SQLWrapper): SQL<boolean> {
  return sql`coalesce(array_length(array_difference(${array}, ${arrayParam(array, values)}), 1), 0) = 0`;
}

/** True when `array` and `values` share at least one element (pg's `&&`), with CrateDB's `array_overlap`. */
export function arrayOverlaps<A extends SQLWrapper>(array: A, values: readonly Element<ValueOf<A>>[] | SQLWrapper): SQL<boolean> {
  return sql`array_overlap(${array}, ${arrayParam(array, values)})`;
}
