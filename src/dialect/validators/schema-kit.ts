/**
 * Validator schemas for CrateDB columns, for the validator integrations of both Drizzle lines: Drizzle v1's
 * `drizzle-orm/zod`, `/valibot`, `/typebox`, `/arktype`, and on 0.45 the drizzle-zod, drizzle-valibot, drizzle-typebox
 * and drizzle-arktype packages. Those map a column by its data type (or 0.45's pg column class) only, which cannot
 * say that a REAL may hold 1e10, that a geo point lies on the globe, or which keys an OBJECT(STRICT) takes. So every drizzle-cratedb column gets its
 * schema here, from its value spec: the shape from the type, and the rules from the column's codec, the same code
 * that refuses a bad value before a write. Drizzle's factories still decide, per schema kind, which columns are
 * optional, nullable or left out (generated ones); this only refines each column's own schema.
 */
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import type { ValueSpec } from '../../columns/values.js';
import { valueProblem } from '../../columns/values.js';
import { isCrateColumn } from '../column-model.js';

/** What the library-neutral builder needs of a validator library. */
export interface SchemaKit<S> {
  any(): S;
  boolean(): S;
  number(): S;
  integer(): S;
  bigint(): S;
  string(): S;
  date(): S;
  tuple(items: S[]): S;
  array(item: S): S;
  /** An object of these members; `strict` refuses other keys. */
  object(members: Record<string, { schema: S; optional: boolean }>, strict: boolean): S;
  union(options: S[]): S;
  nullable(schema: S): S;
  /** Adds a check that returns a message for a value it refuses. */
  refine(schema: S, problem: (value: unknown) => string | undefined): S;
}

/** The schema of one value of a spec: its shape only; the column's rules are added once, at the top. */
function shapeOf<S>(spec: ValueSpec, kit: SchemaKit<S>): S {
  switch (spec.kind) {
    case 'text':
    case 'bit':
    case 'uuid':
      return kit.string();
    case 'boolean':
      return kit.boolean();
    case 'integer':
      return kit.integer();
    case 'bigint':
      return spec.mode === 'bigint' ? kit.bigint() : kit.integer();
    case 'float':
      return kit.number();
    case 'numeric':
      return spec.mode === 'string' ? kit.string() : kit.number();
    case 'timestamp':
      return spec.mode === 'date' ? kit.date() : spec.mode === 'string' ? kit.string() : kit.integer();
    case 'geo_point':
      return kit.tuple([kit.number(), kit.number()]);
    case 'geo_shape':
      // GeoJSON or WKT; which geometry types and forms CrateDB takes is the codec's rule.
      return kit.union([kit.object({ type: { schema: kit.string(), optional: false } }, false), kit.string()]);
    case 'float_vector':
      return kit.array(kit.number());
    case 'array':
      return kit.array(kit.nullable(shapeOf(spec.element, kit)));
    case 'object': {
      const members: Record<string, { schema: S; optional: boolean }> = {};
      for (const [key, member] of Object.entries(spec.columns)) {
        const schema = shapeOf(member.spec, kit);
        members[key] = member.required ? { schema, optional: false } : { schema: kit.nullable(schema), optional: true };
      }
      return kit.object(members, spec.policy === 'strict');
    }
  }
}

/** A column's schema: the shape of its values, and every rule its codec enforces. */
export function columnSchema<S>(column: Column, kit: SchemaKit<S>): S | undefined {
  if (!isCrateColumn(column)) return undefined;
  const where = () => `column "${getTableName((column as unknown as { table: never }).table)}"."${column.name}"`;
  return kit.refine(shapeOf(column.crate.spec, kit), valueProblem(column.crate.spec, where));
}

type Refinement = unknown;

/**
 * Refinements for drizzle's `createSelectSchema(table, refine)` and friends: each drizzle-cratedb column's schema,
 * given as a function so that drizzle still applies nullability and optionality. A user's refinement still wins:
 * a schema replaces the column's; a function receives this package's schema.
 */
export function crateRefinements<S>(table: object, userRefinements: Record<string, Refinement> | undefined, kit: SchemaKit<S>): Record<string, Refinement> {
  const result: Record<string, Refinement> = { ...userRefinements };
  for (const [key, column] of Object.entries(getTableColumns(table as never) as Record<string, Column>)) {
    const user = userRefinements?.[key];
    if (user !== undefined && typeof user !== 'function') continue;
    const schema = columnSchema(column, kit);
    if (schema === undefined) continue;
    result[key] = typeof user === 'function' ? () => (user as (schema: S) => S)(schema) : () => schema;
  }
  return result;
}

type Factory = (table: never, refine?: never) => unknown;
interface Factories {
  createSelectSchema: Factory;
  createInsertSchema: Factory;
  createUpdateSchema: Factory;
}

/**
 * A validator integration's three factories, each given this package's refinements first: the same signatures (and
 * types) as the integration's own, so an import is all a user changes.
 */
export function crateFactories<F extends Factories, S>(factories: F, kit: SchemaKit<S>): Pick<F, keyof Factories> {
  const wrap = (factory: Factory) => (table: object, refine?: Record<string, Refinement>) => factory(table as never, crateRefinements(table, refine, kit) as never);
  return {
    createSelectSchema: wrap(factories.createSelectSchema),
    createInsertSchema: wrap(factories.createInsertSchema),
    createUpdateSchema: wrap(factories.createUpdateSchema),
  } as unknown as Pick<F, keyof Factories>;
}
