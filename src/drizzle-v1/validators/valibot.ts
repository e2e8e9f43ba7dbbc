/**
 * drizzle-cratedb/v1/valibot: drizzle-orm/valibot's schema factories, with each CrateDB column's schema exact. Same
 * signatures and types as drizzle-orm/valibot.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../shared/node-version.js';
import * as drizzleValibot from 'drizzle-orm/valibot';
import * as v from 'valibot';
import { crateRefinements, type SchemaKit } from './schema-kit.js';

type Schema = v.GenericSchema;

const kit: SchemaKit<Schema> = {
  any: () => v.any(),
  boolean: () => v.boolean(),
  number: () => v.number(),
  integer: () => v.pipe(v.number(), v.integer()),
  bigint: () => v.bigint(),
  string: () => v.string(),
  date: () => v.date(),
  tuple: (items) => v.tuple(items),
  array: (item) => v.array(item),
  object: (members, strict) => {
    const entries = Object.fromEntries(Object.entries(members).map(([key, { schema, optional }]) => [key, optional ? v.optional(schema) : schema]));
    return strict ? v.strictObject(entries) : v.looseObject(entries);
  },
  union: (options) => v.union(options),
  nullable: (schema) => v.nullable(schema),
  refine: (schema, problem) =>
    v.pipe(
      schema,
      v.check((value) => problem(value) === undefined, (issue) => problem(issue.input) ?? 'invalid value'),
    ),
};

export const createSelectSchema: typeof drizzleValibot.createSelectSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleValibot.createSelectSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
export const createInsertSchema: typeof drizzleValibot.createInsertSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleValibot.createInsertSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
export const createUpdateSchema: typeof drizzleValibot.createUpdateSchema = ((table: object, refine?: Record<string, unknown>) =>
  drizzleValibot.createUpdateSchema(table as never, crateRefinements(table, refine, kit) as never)) as never;
