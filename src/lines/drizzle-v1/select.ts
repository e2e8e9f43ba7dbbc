/**
 * The select builders of a CrateDB database on drizzle-orm 1.x: pg-core's async selects, plus `.iterator()`. They are
 * made only by CrateDatabase's `select()`, `selectDistinct()`, `selectDistinctOn()` and `with(...).select*()`, so
 * drizzle-orm's own classes, and the selects of any other pg-core database in the process, stay as drizzle-orm made
 * them.
 */
import { entityKind, type ColumnsSelection, type Query, type SQLWrapper } from 'drizzle-orm';
import {
  PgSelectBuilder,
  type PgAsyncSelectBase,
  type PgColumn,
  type PgDialect,
  type PgSelectHKTBase,
  type PgSession,
  type SelectedFields,
} from 'drizzle-orm/pg-core';
import type { BuildSubquerySelection, JoinNullability, SelectMode, SelectResult } from 'drizzle-orm/query-builders/select.types';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { Assume } from 'drizzle-orm/utils';
import { iterateSelect, type IteratorOptions } from '../../dialect/iterator.js';
import type * as SelectTypes from '../../dialect/select-types.js';
import { rowsAsObjects } from '../../dialect/query-result.js';
import { PgAsyncSelectBase as AsyncSelectBase } from './orm.js';

/**
 * A select of a CrateDB database: pg-core's PgAsyncSelectBase with `.iterator()`. pg-core rebuilds a select's type
 * from `_.hkt` after every `.where()`, `.orderBy()`, `.limit()`, join and `$dynamic()`; CrateSelectHKT rebuilds this
 * type, so `.iterator()` stays on the chain.
 */
export interface CrateSelectBase<
  TTableName extends string | undefined,
  TSelection extends ColumnsSelection | undefined,
  TSelectMode extends SelectMode,
  TNullabilityMap extends Record<string, JoinNullability> = TTableName extends string ? Record<TTableName, 'not-null'> : {},
  TDynamic extends boolean = false,
  TExcludedMethods extends string = never,
  TResult extends any[] = SelectResult<TSelection, TSelectMode, TNullabilityMap>[],
  TSelectedFields extends ColumnsSelection = BuildSubquerySelection<Assume<TSelection, ColumnsSelection>, TNullabilityMap>,
> extends PgAsyncSelectBase<TTableName, TSelection, TSelectMode, TNullabilityMap, TDynamic, TExcludedMethods, TResult, TSelectedFields>,
    SelectTypes.CrateSelectIterator<TResult> {
  readonly _: SelectTypes.CrateSelectTypes<CrateSelectHKT, TTableName, TSelection, TSelectMode, TNullabilityMap, TDynamic, TExcludedMethods, TResult, TSelectedFields>;
}

export interface CrateSelectHKT extends PgSelectHKTBase {
  _type: CrateSelectBase<this['tableName'], SelectTypes.HktSelection<this>, this['selectMode'], SelectTypes.HktNullability<this>, this['dynamic'], this['excludedMethods'], SelectTypes.HktResult<this>, SelectTypes.HktSelectedFields<this>>;
}

/** A dynamic CrateDB select, as `PgAsyncSelect` is pg-core's: the type to take in helpers that add clauses after `$dynamic()`. */
export type CrateSelect<
  TTableName extends string | undefined = string | undefined,
  TSelection extends ColumnsSelection = Record<string, any>,
  TSelectMode extends SelectMode = SelectMode,
  TNullabilityMap extends Record<string, JoinNullability> = Record<string, JoinNullability>,
> = CrateSelectBase<TTableName, TSelection, TSelectMode, TNullabilityMap, true, never>;

/** The select builder of a CrateDB database: pg-core's, building CrateSelectBase. */
export type CrateSelectBuilder<TSelection extends SelectedFields | undefined> = PgSelectBuilder<TSelection, CrateSelectHKT>;

/** The fields of drizzle v1's PgAsyncPreparedQuery read here (`mapper` is `@internal`). */
interface PreparedSelect {
  getQuery(): Query;
  mapper: ((rows: unknown[]) => unknown[]) | undefined;
  mode: 'arrays' | 'objects' | 'raw';
}

/** The class of a CrateDB select at run time, handed to PgSelectBuilder to construct; its type is CrateSelectBase. */
class CrateSelectRuntime extends AsyncSelectBase<any, any, any, any, any, any, any, any> {
  static override readonly [entityKind]: string = 'CrateSelect';

  iterator(options?: IteratorOptions): AsyncIterable<unknown> {
    return iterateSelect(
      this,
      () => {
        // The mapper the prepared query holds: the compiled row mapper execute() uses, applied to one batch.
        const prepared = (this as unknown as { _prepare(): PreparedSelect })._prepare();
        const { mapper, mode } = prepared;
        return {
          query: prepared.getQuery(),
          mapBatch: (batch) => {
            const rows = mode === 'arrays' ? batch.rows : rowsAsObjects(batch);
            return mapper ? mapper(rows) : rows;
          },
        };
      },
      options,
    );
  }
}

/** The select entry points of a CrateDB database, for `db.select*()` and `db.with(...).select*()`. */
export type CrateSelectStarts = SelectTypes.SelectStarts<CrateSelectBuilderKind>;
interface CrateSelectBuilderKind extends SelectTypes.SelectBuilderKind {
  readonly builder: CrateSelectBuilder<this['selection']>;
}

/** What a database's select builders are made from: its session and dialect, and `tagged` as pg-core passes it. */
export interface SelectSource {
  session: PgSession;
  dialect: PgDialect;
  tagged: boolean;
}

/** CrateSelectStarts over a database, with the CTEs of `with(...)` if any. */
export function crateSelectStarts({ session, dialect, tagged }: SelectSource, withList?: WithSubquery[]): CrateSelectStarts {
  const start = (fields: SelectedFields | undefined, distinct: boolean | { on: (PgColumn | SQLWrapper)[] } | undefined) =>
    new PgSelectBuilder({ fields, session, dialect, withList, distinct, tagged }, CrateSelectRuntime);
  return {
    select: (fields?: SelectedFields) => start(fields, undefined),
    selectDistinct: (fields?: SelectedFields) => start(fields, true),
    selectDistinctOn: (on: (PgColumn | SQLWrapper)[], fields?: SelectedFields) => start(fields, { on }),
  } as unknown as CrateSelectStarts;
}
