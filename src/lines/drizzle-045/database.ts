import { entityKind, is, View, type RelationalSchemaConfig, type SQLWrapper, type TablesRelationalConfig } from 'drizzle-orm';
import type { PgColumn, PgInsertBuilder, PgTable, PgTransaction, SelectedFields } from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { CrateClient } from '../../driver/index.js';
import { mixInDatabaseMethods, type CrateDatabaseMethods } from '../../dialect/database-methods.js';
import { dialectOf } from '../../dialect/internals.js';
import { refuse } from '../../dialect/refusals.js';
import type { CrateDialect } from './dialect.js';
import { CrateInsertBuilder } from './insert.js';
import { PgDatabase } from './orm.js';
import { CrateRelationalQueryBuilder, resolveRelationalOptions, type RelationalQueryOptions } from './relational/query.js';
import { viewQueryRefusal } from './relational/views.js';
import { crateSelectBuilder, crateSelectStarts, type CrateSelectBuilder, type CrateSelectStarts } from './select.js';
import type { CrateQueryResult, CrateQueryResultHKT, CrateSession } from './session.js';

export class CrateDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
  TRelations extends TablesRelationalConfig = Record<string, never>,
> extends PgDatabase<CrateQueryResultHKT, TSchema, TRelations> {
  static override readonly [entityKind]: string = 'CrateDatabase';

  /** The HTTP client this database sends through, as in drizzle-orm's own drivers. */
  declare readonly $client: CrateClient;
  /** @internal */
  declare readonly session: CrateSession<TSchema, TRelations>;

  constructor(
    dialect: CrateDialect,
    session: CrateSession<TSchema, TRelations>,
    schema: RelationalSchemaConfig<TRelations> | undefined,
    relationalQueries: RelationalQueryOptions = {},
  ) {
    super(dialect, session, schema);
    if (!schema) return;
    // pg-core's relational queries are one statement with LATERAL joins and json_agg; CrateDB's load each relation
    // with a statement of its own. The TypeScript types stay pg-core's, so results are typed exactly as documented.
    const options = resolveRelationalOptions(relationalQueries);
    const builders: Record<string, CrateRelationalQueryBuilder> = {};
    for (const [tsName, tableConfig] of Object.entries(schema.schema)) {
      builders[tsName] = new CrateRelationalQueryBuilder({
        relational: schema,
        table: schema.fullSchema[tsName] as PgTable,
        tableConfig,
        dialect,
        session: session as unknown as CrateSession,
        options,
      });
    }
    const views: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema.fullSchema)) if (is(value, View) && !(key in builders)) views[key] = viewQueryRefusal(key, value);
    (this as unknown as { query: Record<string, unknown> }).query = { ...views, ...builders };
  }

  // The selects below are pg-core's with `.iterator()` added (see ./select.ts): made here rather than by patching
  // drizzle-orm's classes, so that other pg-core databases in the process are left as they are.
  override select(): CrateSelectBuilder<undefined>;
  override select<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override select(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectBuilder(this.session, dialectOf(this), fields, undefined);
  }

  override selectDistinct(): CrateSelectBuilder<undefined>;
  override selectDistinct<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinct(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectBuilder(this.session, dialectOf(this), fields, true);
  }

  override selectDistinctOn(on: (PgColumn | SQLWrapper)[]): CrateSelectBuilder<undefined>;
  override selectDistinctOn<TSelection extends SelectedFields>(on: (PgColumn | SQLWrapper)[], fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinctOn(on: (PgColumn | SQLWrapper)[], fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectBuilder(this.session, dialectOf(this), fields, { on });
  }

  override with(...queries: WithSubquery[]): Omit<ReturnType<PgDatabase<CrateQueryResultHKT>['with']>, keyof CrateSelectStarts> & CrateSelectStarts {
    return { ...super.with(...queries), ...crateSelectStarts(this.session, dialectOf(this), queries) };
  }

  /**
   * `insert(t).values(rows)` as in pg-core, except that a statement longer than CrateDB's `statement_max_length`
   * is sent as several statements of consecutive rows (see {@link PartialInsertError} for a failure part-way).
   */
  override insert<TTable extends PgTable>(table: TTable): PgInsertBuilder<TTable, CrateQueryResultHKT> {
    return new CrateInsertBuilder(table, this.session as never, dialectOf(this)) as unknown as PgInsertBuilder<TTable, CrateQueryResultHKT>;
  }

  override transaction<T>(
    _transaction: (tx: PgTransaction<CrateQueryResultHKT, TSchema, TRelations>) => Promise<T>,
  ): Promise<T> {
    return Promise.reject(refuse.transactions());
  }
}

// CrateDB's own methods (bulkInsert, copyFrom, refresh, batch, iterator, ...) are written once for both lines.
export interface CrateDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
  TRelations extends TablesRelationalConfig = Record<string, never>,
> extends CrateDatabaseMethods {}
mixInDatabaseMethods(CrateDatabase);

export { BatchError } from '../../dialect/batch.js';
export type { CrateQueryResult };
