/**
 * `.iterator()` on drizzle-orm 1.x's select builders: rows streamed through a cursor and mapped by the mapper the
 * prepared query holds (the compiled row mapper installed by drizzle()), one batch at a time.
 */
import type { ColumnsSelection, Query } from 'drizzle-orm';
import type { BuildSubquerySelection, JoinNullability, SelectMode, SelectResult } from 'drizzle-orm/query-builders/select.types';
import type { Assume } from 'drizzle-orm/utils';
import { installSelectIterator, type IteratorOptions } from '../drizzle-common/iterator.js';
import { rowsAsObjects } from '../drizzle-common/query-result.js';
import { PgAsyncSelectBase } from './orm.js';

/** The fields of drizzle v1's PgAsyncPreparedQuery read here (`mapper` is `@internal`). */
interface PreparedSelect {
  getQuery(): Query;
  mapper: ((rows: unknown[]) => unknown[]) | undefined;
  mode: 'arrays' | 'objects' | 'raw';
}

installSelectIterator(PgAsyncSelectBase.prototype, (builder) => {
  const prepared = (builder as { _prepare(): PreparedSelect })._prepare();
  const { mapper, mode } = prepared;
  return {
    query: prepared.getQuery(),
    mapBatch: (batch) => {
      const rows = mode === 'arrays' ? batch.rows : rowsAsObjects(batch);
      return mapper ? mapper(rows) : rows;
    },
  };
});

declare module 'drizzle-orm/pg-core/async/select' {
  interface PgAsyncSelectBase<
    TTableName extends string | undefined,
    TSelection extends ColumnsSelection | undefined,
    TSelectMode extends SelectMode,
    TNullabilityMap extends Record<string, JoinNullability> = TTableName extends string ? Record<TTableName, 'not-null'> : {},
    TDynamic extends boolean = false,
    TExcludedMethods extends string = never,
    TResult extends any[] = SelectResult<TSelection, TSelectMode, TNullabilityMap>[],
    TSelectedFields extends ColumnsSelection = BuildSubquerySelection<Assume<TSelection, ColumnsSelection>, TNullabilityMap>,
  > {
    /**
     * drizzle-cratedb: the result row by row, read through a server-side cursor in batches of `batchSize` rows, in
     * memory bounded by the batch. Rows are typed and mapped as `execute()` returns them. The cursor is closed when
     * the loop ends, breaks or throws, and when `signal` aborts.
     */
    iterator(options?: IteratorOptions): AsyncIterable<TResult[number]>;
  }
}
