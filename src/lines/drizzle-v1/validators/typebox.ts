/**
 * drizzle-cratedb/v1/typebox: drizzle-orm/typebox's schema factories, with each CrateDB column's schema exact. Same
 * signatures and types as drizzle-orm/typebox.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-orm/typebox';
import Type, { type TSchema } from 'typebox';
import { crateFactories, type SchemaKit } from '../../../dialect/validators/schema-kit.js';

const kit: SchemaKit<TSchema> = {
  any: () => Type.Any(),
  boolean: () => Type.Boolean(),
  number: () => Type.Number(),
  integer: () => Type.Integer(),
  bigint: () => Type.BigInt(),
  string: () => Type.String(),
  // As drizzle-orm/typebox writes a date: JSON Schema has none.
  date: () => Type.Refine(Type.Unsafe<Date>({ type: 'date' }), (value) => value instanceof Date, () => 'not a Date'),
  tuple: (items) => Type.Tuple(items),
  array: (item) => Type.Array(item),
  object: (members, strict) =>
    Type.Object(
      Object.fromEntries(Object.entries(members).map(([key, { schema, optional }]) => [key, optional ? Type.Optional(schema) : schema])),
      { additionalProperties: !strict },
    ),
  union: (options) => Type.Union(options),
  nullable: (schema) => Type.Union([schema, Type.Null()]),
  refine: (schema, problem) =>
    Type.Refine(
      schema,
      (value) => problem(value) === undefined,
      (value) => problem(value) ?? 'invalid value',
    ),
};

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, kit);
