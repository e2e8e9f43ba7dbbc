/**
 * drizzle-cratedb/v1/arktype: drizzle-orm/arktype's schema factories, with each CrateDB column's schema exact. Same
 * signatures and types as drizzle-orm/arktype.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../shared/node-version.js';
import * as drizzleArktype from 'drizzle-orm/arktype';
import { type, type Type } from 'arktype';
import { crateRefinements, type SchemaKit } from './schema-kit.js';

type Schema = Type<unknown>;

const kit: SchemaKit<Schema> = {
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

export const createSelectSchema: typeof drizzleArktype.createSelectSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleArktype.createSelectSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
export const createInsertSchema: typeof drizzleArktype.createInsertSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleArktype.createInsertSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
export const createUpdateSchema: typeof drizzleArktype.createUpdateSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleArktype.createUpdateSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
