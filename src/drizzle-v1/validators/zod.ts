/**
 * drizzle-cratedb/v1/zod: drizzle-orm/zod's schema factories, with each CrateDB column's schema exact (integer
 * ranges, REAL and DOUBLE as finite numbers, vectors of their dimension, geo points on the globe, objects with their
 * declared sub-columns, timestamps in their mode). Same signatures and types as drizzle-orm/zod.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../shared/node-version.js';
import * as drizzleZod from 'drizzle-orm/zod';
import { z } from 'zod/v4';
import { crateRefinements, type SchemaKit } from './schema-kit.js';

type Schema = z.ZodType;

const kit: SchemaKit<Schema> = {
  any: () => z.any(),
  boolean: () => z.boolean(),
  number: () => z.number(),
  integer: () => z.number().int(),
  bigint: () => z.bigint(),
  string: () => z.string(),
  date: () => z.date(),
  tuple: (items) => z.tuple(items as [Schema, ...Schema[]]),
  array: (item) => z.array(item),
  object: (members, strict) => {
    const shape = Object.fromEntries(Object.entries(members).map(([key, { schema, optional }]) => [key, optional ? schema.optional() : schema]));
    return strict ? z.strictObject(shape) : z.looseObject(shape);
  },
  union: (options) => z.union(options as [Schema, Schema, ...Schema[]]),
  nullable: (schema) => schema.nullable(),
  refine: (schema, problem) =>
    schema.superRefine((value, context) => {
      const message = problem(value);
      if (message !== undefined) context.addIssue({ code: 'custom', message });
    }),
};

export const createSelectSchema: typeof drizzleZod.createSelectSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleZod.createSelectSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
export const createInsertSchema: typeof drizzleZod.createInsertSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleZod.createInsertSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
export const createUpdateSchema: typeof drizzleZod.createUpdateSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleZod.createUpdateSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
