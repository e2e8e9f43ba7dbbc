/**
 * The Drizzle side of crateView that both lines share: a view's query rendered to the text CrateDB stores, the
 * refusals (materialized views, WITH options), and CREATE / DROP VIEW for createTables and dropTables.
 */
import { sql, type SQL } from 'drizzle-orm';
import { CrateArgumentError, CrateSchemaError, CrateUnsupportedError } from '../shared/errors.js';
import { createViewSql, dropViewSql, isRegisteredView, orderViews, type ViewDefinition } from '../tables/views.js';
import type { Executor } from './ddl.js';

/** pg-core's `.with({ checkOption, securityBarrier, securityInvoker })`: CrateDB's CREATE VIEW has no WITH clause. */
export function viewOptionError(view: string): CrateSchemaError {
  return new CrateSchemaError(
    { view, option: '.with()' },
    'view-option',
    "CrateDB's CREATE VIEW takes no WITH options (check option, security barrier or invoker); the server refuses the statement. Remove .with()",
  );
}

/**
 * pg-core's `pgMaterializedView` has no CrateDB counterpart: CrateDB refuses CREATE MATERIALIZED VIEW. Exported so
 * code ported from pg-core fails with advice rather than with a missing import.
 */
export function crateMaterializedView(name: string, _columns?: unknown): never {
  throw new CrateUnsupportedError(
    `materialized views (crateMaterializedView('${name}'))`,
    'Use crateView() for a query CrateDB runs on every read, or a crateTable filled with INSERT INTO ... SELECT that your application refreshes.',
  );
}

/**
 * The text CrateDB stores for a view's query. pg-core inlines the values of a view's query (as CrateDB does with the
 * arguments of a CREATE VIEW), so a placeholder left over cannot be sent.
 */
export function viewDefinition(
  view: { name: string; schema: string | undefined },
  query: SQL,
  sqlToQuery: (query: SQL) => { sql: string; params: unknown[] },
): ViewDefinition {
  const rendered = sqlToQuery(query);
  if (rendered.params.length > 0) {
    throw new CrateArgumentError(`view "${view.name}": its query has ${rendered.params.length} placeholder(s); a view stores its values, so write them in the query`);
  }
  return view.schema === undefined ? { name: view.name, definition: rendered.sql } : { name: view.name, schema: view.schema, definition: rendered.sql };
}

/**
 * Splits what createTables / dropTables were given into tables and views made with crateView(...).as(...). An
 * `.existing()` view (`isView` but not registered) is skipped: it was declared as made elsewhere.
 */
export function splitRelations<T extends object>(relations: readonly T[], isView: (relation: T) => boolean): { tables: T[]; views: T[] } {
  const tables: T[] = [];
  const views: T[] = [];
  for (const relation of relations) {
    if (isRegisteredView(relation)) views.push(relation);
    else if (!isView(relation)) tables.push(relation);
  }
  return { tables, views };
}

/**
 * CREATE VIEW for each view, after the views it reads; rendered (and a cycle refused) before anything is sent.
 * CrateDB has no CREATE VIEW IF NOT EXISTS: `orReplace` (createTables' default) replaces a view of the same name
 * with the declared query.
 */
export function createViewStatements(views: readonly ViewDefinition[], options: { orReplace: boolean }): string[] {
  return orderViews(views).map((view) => createViewSql(view, options));
}

/** DROP VIEW for each view, the views reading others first. */
export function dropViewStatements(views: readonly ViewDefinition[], options: { ifExists: boolean }): string[] {
  return orderViews(views)
    .reverse()
    .map((view) => dropViewSql(view, options));
}

export async function runStatements(db: Executor, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await db.execute(sql.raw(statement));
}
