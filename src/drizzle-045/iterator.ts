/**
 * `.iterator()` on drizzle-orm 0.45's select builders: rows streamed through a cursor and mapped by the prepared
 * query's own `mapResult` (the compiled row mapper `execute()` uses), one batch at a time.
 */
import type { ColumnsSelection } from 'drizzle-orm';
import { PgSelectBase } from 'drizzle-orm/pg-core';
import type { BuildSubquerySelection, JoinNullability, SelectMode, SelectResult } from 'drizzle-orm/query-builders/select.types';
import type { SqlResult } from '../driver/index.js';
import { installSelectIterator, type IteratorOptions } from '../drizzle-common/iterator.js';
import type { CratePreparedQuery } from './session.js';

installSelectIterator(PgSelectBase.prototype, (builder) => {
  const prepared = (builder as { _prepare(): CratePreparedQuery })._prepare();
  return {
    query: prepared.getQuery(),
    mapBatch: (batch) => prepared.mapResult({ ...batch, rowCount: batch.rows.length, duration: 0 } satisfies SqlResult) as unknown[],
  };
});

declare module 'drizzle-orm/pg-core/query-builders/select' {
  interface PgSelectBase<
    TTableName extends string | undefined,
    TSelection extends ColumnsSelection,
    TSelectMode extends SelectMode,
    TNullabilityMap extends Record<string, JoinNullability> = TTableName extends string ? Record<TTableName, 'not-null'> : {},
    TDynamic extends boolean = false,
    TExcludedMethods extends string = never,
    TResult extends any[] = SelectResult<TSelection, TSelectMode, TNullabilityMap>[],
    TSelectedFields extends ColumnsSelection = BuildSubquerySelection<TSelection, TNullabilityMap>,
  > {
    /**
     * drizzle-cratedb: the result row by row, read through a server-side cursor in batches of `batchSize` rows, in
     * memory bounded by the batch. Rows are typed and mapped as `execute()` returns them. The cursor is closed when
     * the loop ends, breaks or throws, and when `signal` aborts.
     */
    iterator(options?: IteratorOptions): AsyncIterable<TResult[number]>;
  }
}
