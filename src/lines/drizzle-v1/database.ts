import { entityKind, type AnyRelations, type EmptyRelations, type SQLWrapper } from 'drizzle-orm';
import { PgInsertBuilder, type PgAsyncTransaction, type PgColumn, type PgTable, type SelectedFields } from 'drizzle-orm/pg-core';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { CrateClient } from '../../driver/index.js';
import { mixInDatabaseMethods, type CrateDatabaseMethods } from '../../dialect/database-methods.js';
import { refuse } from '../../dialect/refusals.js';
import type { CrateDialect } from './dialect.js';
import { CrateInsertBase } from './insert.js';
import { PgAsyncDatabase } from './orm.js';
import { crateSelectStarts, type CrateSelectBuilder, type CrateSelectStarts, type SelectSource } from './select.js';
import type { CrateQueryResultHKT, CrateSession } from './session.js';

/** The Drizzle v1 database over CrateDB: pg-core's async database, with CrateDB's bulk writes, refresh and batch. */
export class CrateDatabase<TRelations extends AnyRelations = EmptyRelations> extends PgAsyncDatabase<CrateQueryResultHKT, TRelations> {
  static override readonly [entityKind]: string = 'CrateDatabase';

  /** The HTTP client this database sends through, as in drizzle-orm's own drivers. */
  declare readonly $client: CrateClient;
  /** @internal */
  declare readonly session: CrateSession<TRelations>;
  /** @internal */
  declare readonly dialect: CrateDialect;

  // The selects below are pg-core's with `.iterator()` added (see ./select.ts): made here rather than by patching
  // drizzle-orm's classes, so that other pg-core databases in the process are left as they are.
  override select(): CrateSelectBuilder<undefined>;
  override select<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override select(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectStarts(this.selectSource()).select(fields as SelectedFields);
  }

  override selectDistinct(): CrateSelectBuilder<undefined>;
  override selectDistinct<TSelection extends SelectedFields>(fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinct(fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectStarts(this.selectSource()).selectDistinct(fields as SelectedFields);
  }

  override selectDistinctOn(on: (PgColumn | SQLWrapper)[]): CrateSelectBuilder<undefined>;
  override selectDistinctOn<TSelection extends SelectedFields>(on: (PgColumn | SQLWrapper)[], fields: TSelection): CrateSelectBuilder<TSelection>;
  override selectDistinctOn(on: (PgColumn | SQLWrapper)[], fields?: SelectedFields): CrateSelectBuilder<SelectedFields | undefined> {
    return crateSelectStarts(this.selectSource()).selectDistinctOn(on, fields as SelectedFields);
  }

  override with(...queries: WithSubquery[]): Omit<ReturnType<PgAsyncDatabase<CrateQueryResultHKT, TRelations>['with']>, keyof CrateSelectStarts> & CrateSelectStarts {
    return { ...super.with(...queries), ...crateSelectStarts(this.selectSource(), queries) };
  }

  private selectSource(): SelectSource {
    return { session: this.session as never, dialect: this.dialect, tagged: this.tagged };
  }

  /**
   * `insert(t).values(rows)` as in pg-core, except that a statement longer than CrateDB's `statement_max_length`
   * is sent as several statements of consecutive rows, and that rows CrateDB refused without an error are reported
   * ({@link InsertRowCountError}).
   */
  override insert: PgAsyncDatabase<CrateQueryResultHKT, TRelations>['insert'] = ((table: PgTable, ...columns: string[]) =>
    new PgInsertBuilder(table, this.session, this.dialect, undefined, undefined, columns.length ? columns : undefined, CrateInsertBase as never)) as never;

  override transaction<T>(_transaction: (tx: PgAsyncTransaction<CrateQueryResultHKT, TRelations>) => Promise<T>): Promise<T> {
    return Promise.reject(refuse.transactions());
  }
}

// CrateDB's own methods (bulkInsert, copyFrom, refresh, batch, iterator, ...) are written once for both lines.
export interface CrateDatabase<TRelations extends AnyRelations = EmptyRelations> extends CrateDatabaseMethods {}
mixInDatabaseMethods(CrateDatabase);
