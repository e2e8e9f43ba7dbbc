/**
 * Views and Drizzle 0.45's relational queries: `relations()` takes tables only (its `extractTablesRelationalConfig`
 * keeps tables and silently drops a view's relations), so `db.query.<view>` does not exist and a relation to a view
 * fails only when queried, with Drizzle's "table not found". Both are refused here with advice instead: views
 * are read with `db.select().from(view)` on this line; drizzle-orm v1's `defineRelations` takes views.
 */
import { getViewName, is, View } from 'drizzle-orm';
import { CrateArgumentError } from '../../../shared/errors.js';
import { createTableRelationsHelpers } from '../orm.js';

const ADVICE =
  "drizzle-orm 0.45's relational queries (relations()) take tables only. Read the view with db.select().from(view), " +
  "or use drizzle-orm v1, whose defineRelations() takes views (drizzle-cratedb's v1 line loads them).";

const viewName = (view: unknown): string => getViewName(view as View);

/** Throws when a `relations(...)` of the schema is declared on a view or points to one. */
export function refuseViewRelations(schema: Record<string, unknown>): void {
  const entries = Object.keys(schema).length === 1 && 'default' in schema && typeof schema['default'] === 'object' ? (schema['default'] as Record<string, unknown>) : schema;
  for (const [key, value] of Object.entries(entries)) {
    const declared = value as { table?: unknown; config?: (helpers: unknown) => Record<string, { referencedTable?: unknown }> } | null;
    if (typeof declared !== 'object' || declared === null || typeof declared.config !== 'function' || declared.table === undefined) continue;
    if (is(declared.table, View)) {
      throw new CrateArgumentError(`drizzle({ schema }): "${key}" declares relations() on view "${viewName(declared.table)}". ${ADVICE}`);
    }
    const declaredRelations = declared.config(createTableRelationsHelpers(declared.table as never));
    for (const [name, relation] of Object.entries(declaredRelations)) {
      if (is(relation.referencedTable, View)) {
        throw new CrateArgumentError(`drizzle({ schema }): relation "${name}" of "${key}" points to view "${viewName(relation.referencedTable)}". ${ADVICE}`);
      }
    }
  }
}

/** What `db.query.<view>` is for a view of the schema: Drizzle 0.45 has no builder for it, so each call says why. */
export function viewQueryRefusal(key: string, view: View): { findMany(): never; findFirst(): never } {
  const refuse = (): never => {
    throw new CrateArgumentError(`db.query.${key}: "${viewName(view)}" is a view. ${ADVICE}`);
  };
  return { findMany: refuse, findFirst: refuse };
}
