/** The {@link SchemaKit} of zod (v4 API), shared by drizzle-cratedb/zod (0.45) and drizzle-cratedb/v1/zod. */
import { z } from 'zod/v4';
import type { SchemaKit } from './schema-kit.js';

type Schema = z.ZodType;

export const zodKit: SchemaKit<Schema> = {
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
