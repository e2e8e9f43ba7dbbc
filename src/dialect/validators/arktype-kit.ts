/** The {@link SchemaKit} of arktype, shared by drizzle-cratedb/arktype (0.45) and drizzle-cratedb/v1/arktype. */
import { type, type Type } from 'arktype';
import type { SchemaKit } from './schema-kit.js';

type Schema = Type<unknown>;

export const arktypeKit: SchemaKit<Schema> = {
  any: () => type.unknown,
  boolean: () => type.boolean as Schema,
  number: () => type.number as Schema,
  integer: () => type('number.integer') as Schema,
  bigint: () => type.bigint as Schema,
  string: () => type.string as Schema,
  date: () => type.Date as Schema,
  tuple: (items) => type(items as never) as Schema,
  array: (item) => item.array() as Schema,
  object: (members, strict) => {
    const definition = Object.fromEntries(Object.entries(members).map(([key, { schema, optional }]) => [optional ? `${key}?` : key, schema]));
    const object = type(definition as never) as Schema;
    return (strict ? (object as unknown as { onUndeclaredKey(mode: 'reject'): Schema }).onUndeclaredKey('reject') : object) as Schema;
  },
  union: (options) => options.reduce((union, option) => union.or(option) as Schema),
  nullable: (schema) => schema.or(type.null) as Schema,
  refine: (schema, problem) =>
    schema.narrow((value, context) => {
      const message = problem(value);
      return message === undefined || context.reject({ message });
    }) as Schema,
};
