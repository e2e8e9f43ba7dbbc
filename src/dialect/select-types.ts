/**
 * The parts of a CrateDB select's type that both Drizzle lines spell alike. Each line's CrateSelectBase extends its
 * pg-core's select class (PgSelectBase on 0.45, PgAsyncSelectBase on v1) and takes its `_` and `.iterator()` from
 * here; its HKT reads the arguments through the helpers below, so a chained select is rebuilt with `.iterator()`.
 */
import type { ColumnsSelection, SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgSelectConfig, PgSelectHKTBase, SelectedFields } from 'drizzle-orm/pg-core';
import type { JoinNullability } from 'drizzle-orm/query-builders/select.types';
import type { Assume } from 'drizzle-orm/utils';
import type { IteratorOptions } from './iterator.js';

/** A CrateDB select's `_`: pg-core's, with the line's HKT. */
export interface CrateSelectTypes<THKT, TTableName, TSelection, TSelectMode, TNullabilityMap, TDynamic, TExcludedMethods, TResult, TSelectedFields> {
  readonly dialect: 'pg';
  readonly hkt: THKT;
  readonly tableName: TTableName;
  readonly selection: TSelection;
  readonly selectMode: TSelectMode;
  readonly nullabilityMap: TNullabilityMap;
  readonly dynamic: TDynamic;
  readonly excludedMethods: TExcludedMethods;
  readonly result: TResult;
  readonly selectedFields: TSelectedFields;
  readonly config: PgSelectConfig;
}

export interface CrateSelectIterator<TResult extends any[]> {
  /**
   * The result row by row, read through a server-side cursor in batches of `batchSize` rows, in memory bounded by the
   * batch. Rows are typed and mapped as `execute()` returns them. The cursor is closed when the loop ends, breaks or
   * throws, and when `signal` aborts.
   */
  iterator(options?: IteratorOptions): AsyncIterable<TResult[number]>;
}

/** An HKT's arguments narrowed as pg-core's own HKTs narrow them. */
export type HktSelection<H extends PgSelectHKTBase> = Assume<H['selection'], ColumnsSelection>;
export type HktNullability<H extends PgSelectHKTBase> = Assume<H['nullabilityMap'], Record<string, JoinNullability>>;
export type HktResult<H extends PgSelectHKTBase> = Assume<H['result'], any[]>;
export type HktSelectedFields<H extends PgSelectHKTBase> = Assume<H['selectedFields'], ColumnsSelection>;

/** A line's select builder type as a function of the selection: `Builder<TSelection>` for {@link SelectStarts}. */
export interface SelectBuilderKind {
  readonly selection: SelectedFields | undefined;
  readonly builder: unknown;
}
type BuilderOf<K extends SelectBuilderKind, TSelection extends SelectedFields | undefined> = (K & { readonly selection: TSelection })['builder'];

/** The select entry points of a CrateDB database, for `db.select*()` and `db.with(...).select*()`. */
export interface SelectStarts<K extends SelectBuilderKind> {
  select: {
    (): BuilderOf<K, undefined>;
    <TSelection extends SelectedFields>(fields: TSelection): BuilderOf<K, TSelection>;
  };
  selectDistinct: {
    (): BuilderOf<K, undefined>;
    <TSelection extends SelectedFields>(fields: TSelection): BuilderOf<K, TSelection>;
  };
  selectDistinctOn: {
    (on: (PgColumn | SQLWrapper)[]): BuilderOf<K, undefined>;
    <TSelection extends SelectedFields>(on: (PgColumn | SQLWrapper)[], fields: TSelection): BuilderOf<K, TSelection>;
  };
}
