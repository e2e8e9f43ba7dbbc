import { entityKind, sql, type TablesRelationalConfig } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { PgDatabase, type PgTable, type PgTransaction } from 'drizzle-orm/pg-core';
import type { CrateClient } from '../driver/index.js';
import type { PreparableQuery } from './drizzle-internals.js';
import { transactionUnsupported, type CrateQueryResult, type CrateQueryResultHKT } from './session.js';

export class CrateDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
  TRelations extends TablesRelationalConfig = Record<string, never>,
> extends PgDatabase<CrateQueryResultHKT, TSchema, TRelations> {
  static override readonly [entityKind]: string = 'CrateDatabase';

  /** The HTTP client this database sends through, as in drizzle-orm's own drivers. */
  declare readonly $client: CrateClient;

  /**
   * Makes recent writes visible to searches: `REFRESH TABLE t1, t2`. CrateDB is eventually consistent; a lookup by
   * primary key sees a write at once, any other query only after the table's next refresh (1 s by default).
   */
  async refresh(...tables: PgTable[]): Promise<void> {
    if (tables.length === 0) throw new TypeError('db.refresh() needs at least one table');
    await this.execute(sql`refresh table ${sql.join(tables, sql`, `)}`);
  }

  /**
   * Runs the statements one after another and returns their results in order. Every statement is built first, so one
   * CrateDB cannot run fails the batch before anything is sent. It is not atomic (CrateDB has no transactions): when
   * a statement fails, the ones before it stay applied and the error says which one failed.
   */
  async batch<U extends BatchItem<'pg'>, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>> {
    const prepared = batch.map((item) => (item as unknown as PreparableQuery)._prepare());
    const results: unknown[] = [];
    for (const [index, query] of prepared.entries()) {
      try {
        results.push(await query.execute());
      } catch (error) {
        const applied = index === 0 ? 'none applied' : `statements 0..${index - 1} were applied`;
        throw new BatchError(index, `db.batch(): statement ${index} failed (${applied})`, error);
      }
    }
    return results as BatchResponse<T>;
  }

  override transaction<T>(
    _transaction: (tx: PgTransaction<CrateQueryResultHKT, TSchema, TRelations>) => Promise<T>,
  ): Promise<T> {
    return Promise.reject(transactionUnsupported());
  }
}

/** A `db.batch()` statement failed; `index` says which, `cause` holds the CrateDB error. */
export class BatchError extends Error {
  override readonly name = 'BatchError';

  constructor(
    readonly index: number,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export type { CrateQueryResult };
