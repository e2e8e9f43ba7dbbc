/**
 * drizzle-cratedb/typebox: drizzle-typebox's schema factories for drizzle-orm 0.45, with each CrateDB column's schema
 * exact, as drizzle-cratedb/v1/typebox gives them on Drizzle v1. drizzle-typebox builds on @sinclair/typebox (0.34),
 * not on typebox 1.x as Drizzle v1 does, so its kit lives here. Same signatures and types as drizzle-typebox.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-typebox';
import { Kind, Type, TypeRegistry, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { crateFactories, type SchemaKit } from '../../../dialect/validators/schema-kit.js';

/** A schema with a check @sinclair/typebox cannot express: its shape, then the column's rule. */
interface TCrateValue extends TSchema {
  [Kind]: 'CrateValue';
  shape: TSchema;
  problem: (value: unknown) => string | undefined;
}

// The registry is global to @sinclair/typebox; registering twice (a second copy of this module) replaces alike.
TypeRegistry.Set<TCrateValue>('CrateValue', (schema, value) => Value.Check(schema.shape, value) && schema.problem(value) === undefined);

const kit: SchemaKit<TSchema> = {
  any: () => Type.Any(),
  boolean: () => Type.Boolean(),
  number: () => Type.Number(),
  integer: () => Type.Integer(),
  bigint: () => Type.BigInt(),
  string: () => Type.String(),
  date: () => Type.Date(),
  tuple: (items) => Type.Tuple(items),
  array: (item) => Type.Array(item),
  object: (members, strict) =>
    Type.Object(
      Object.fromEntries(Object.entries(members).map(([key, { schema, optional }]) => [key, optional ? Type.Optional(schema) : schema])),
      { additionalProperties: !strict },
    ),
  union: (options) => Type.Union(options),
  nullable: (schema) => Type.Union([schema, Type.Null()]),
  refine: (shape, problem) => ({ [Kind]: 'CrateValue', shape, problem }) as TCrateValue,
};

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, kit);
