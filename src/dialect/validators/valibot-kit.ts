/** The {@link SchemaKit} of valibot, shared by drizzle-cratedb/valibot (0.45) and drizzle-cratedb/v1/valibot. */
import * as v from 'valibot';
import type { SchemaKit } from './schema-kit.js';

type Schema = v.GenericSchema;

export const valibotKit: SchemaKit<Schema> = {
  any: () => v.any(),
  boolean: () => v.boolean(),
  number: () => v.number(),
  integer: () => v.pipe(v.number(), v.integer()),
  bigint: () => v.bigint(),
  string: () => v.string(),
  date: () => v.date(),
  // A loose tuple drops extra items from its output, so [lon, lat, z] would pass as a point: strict, as CrateDB is.
  tuple: (items) => v.strictTuple(items),
  array: (item) => v.array(item),
  object: (members, strict) => {
    const entries = Object.fromEntries(Object.entries(members).map(([key, { schema, optional }]) => [key, optional ? v.optional(schema) : schema]));
    return strict ? v.strictObject(entries) : v.looseObject(entries);
  },
  union: (options) => v.union(options),
  nullable: (schema) => v.nullable(schema),
  // The rule sees the value as given: a loose object's output is a copy, which would turn an array into an object.
  refine: (schema, problem) =>
    v.pipe(
      v.unknown(),
      v.check((value) => problem(value) === undefined, (issue) => problem(issue.input) ?? 'invalid value'),
      schema,
    ) as unknown as Schema,
};
