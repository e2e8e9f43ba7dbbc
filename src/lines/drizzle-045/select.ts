/**
 * The select builders of a CrateDB database on drizzle-orm 0.45: pg-core's, plus `.iterator()`. They are made only by
 * CrateDatabase's `select()`, `selectDistinct()`, `selectDistinctOn()` and `with(...).select*()`, so drizzle-orm's own
 * classes, and the selects of any other pg-core database in the process, stay as drizzle-orm made them.
 */
import { entityKind, getTableColumns, is, SQL, Subquery, ViewBaseConfig, type ColumnsSelection, type DrizzleTypeError, type SQLWrapper } from 'drizzle-orm';
import {
  PgSelectBase,
  PgSelectBuilder,
  type PgColumn,
  type PgDialect,
  type PgSelectHKTBase,
  type PgSession,
  type PgTable,
  type SelectedFields,
  type TableLikeHasEmptySelection,
} from 'drizzle-orm/pg-core';
import { PgViewBase } from 'drizzle-orm/pg-core/view-base';
import type { BuildSubquerySelection, GetSelectTableName, GetSelectTableSelection, JoinNullability, SelectMode, SelectResult } from 'drizzle-orm/query-builders/select.types';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { SqlResult } from '../../driver/index.js';
import { iterateSelect, type IteratorOptions } from '../../dialect/iterator.js';
import type * as SelectTypes from '../../dialect/select-types.js';
import type { CratePreparedQuery } from './session.js';

/**
 * A select of a CrateDB database: pg-core's PgSelectBase with `.iterator()`. pg-core rebuilds a select's type from
 * `_.hkt` after every `.where()`, `.orderBy()`, `.limit()`, join and `$dynamic()`; CrateSelectHKT rebuilds this type,
 * so `.iterator()` stays on the chain.
 */
export interface CrateSelectBase<
  TTableName extends string | undefined,
  TSelection extends ColumnsSelection,
  TSelectMode extends SelectMode,
  TNullabilityMap extends Record<string, JoinNullability> = TTableName extends string ? Record<TTableName, 'not-null'> : {},
  TDynamic extends boolean = false,
  TExcludedMethods extends string = never,
  TResult extends any[] = SelectResult<TSelection, TSelectMode, TNullabilityMap>[],
  TSelectedFields extends ColumnsSelection = BuildSubquerySelection<TSelection, TNullabilityMap>,
> extends PgSelectBase<TTableName, TSelection, TSelectMode, TNullabilityMap, TDynamic, TExcludedMethods, TResult, TSelectedFields>,
    SelectTypes.CrateSelectIterator<TResult> {
  readonly _: SelectTypes.CrateSelectTypes<CrateSelectHKT, TTableName, TSelection, TSelectMode, TNullabilityMap, TDynamic, TExcludedMethods, TResult, TSelectedFields>;
}

export interface CrateSelectHKT extends PgSelectHKTBase {
  _type: CrateSelectBase<this['tableName'], SelectTypes.HktSelection<this>, this['selectMode'], SelectTypes.HktNullability<this>, this['dynamic'], this['excludedMethods'], SelectTypes.HktResult<this>, SelectTypes.HktSelectedFields<this>>;
}

/** A dynamic CrateDB select, as `PgSelect` is pg-core's: the type to take in helpers that add clauses after `$dynamic()`. */
export type CrateSelect<
  TTableName extends string | undefined = string | undefined,
  TSelection extends ColumnsSelection = Record<string, any>,
  TSelectMode extends SelectMode = SelectMode,
  TNullabilityMap extends Record<string, JoinNullability> = Record<string, JoinNullability>,
> = CrateSelectBase<TTableName, TSelection, TSelectMode, TNullabilityMap, true, never>;

// 0.45 declares PgSelectBase's getSQL() only through an interface, so TypeScript would call a subclass abstract.
const SelectBase = PgSelectBase as unknown as new (...args: never[]) => object;

/** The class of a CrateDB select at run time; its type is CrateSelectBase. */
class CrateSelectRuntime extends SelectBase {
  static readonly [entityKind]: string = 'CrateSelect';

  iterator(options?: IteratorOptions): AsyncIterable<unknown> {
    return iterateSelect(
      this,
      () => {
        // The prepared query's own mapResult: the compiled row mapper execute() uses, applied to one batch.
        const prepared = (this as unknown as { _prepare(): CratePreparedQuery })._prepare();
        return {
          query: prepared.getQuery(),
          mapBatch: (batch) => prepared.mapResult({ ...batch, rowCount: batch.rows.length, duration: 0 } satisfies SqlResult) as unknown[],
        };
      },
      options,
    );
  }
}

/** What `from()` of a CrateDB database's select builder returns. */
export interface CrateSelectFrom<TSelection extends SelectedFields | undefined> {
  from<TFrom extends PgTable | Subquery | PgViewBase | SQL>(
    source: TableLikeHasEmptySelection<TFrom> extends true
      ? DrizzleTypeError<"Cannot reference a data-modifying statement subquery if it doesn't contain a `returning` clause">
      : TFrom,
  ): CrateSelectBase<
    GetSelectTableName<TFrom>,
    TSelection extends undefined ? GetSelectTableSelection<TFrom> : TSelection,
    SelectModeOf<TSelection>
  >;
}

type SelectModeOf<TSelection> = TSelection extends undefined ? 'single' : 'partial';

/**
 * The select builder of a CrateDB database. An intersection with PgSelectBuilder, whose `from()` it overloads, so that
 * it is a PgSelectBuilder to TypeScript for any selection: CrateDatabase's `select()` must still be pg-core's.
 */
export type CrateSelectBuilder<TSelection extends SelectedFields | undefined> = CrateSelectFrom<TSelection> & PgSelectBuilder<TSelection>;

/** What PgSelectBuilder keeps of a `select()` call; private in its declarations, read here to build the select. */
interface SelectStart {
  fields: SelectedFields | undefined;
  session: PgSession<any, any, any> | undefined;
  dialect: PgDialect;
  withList: WithSubquery[] | undefined;
  distinct: boolean | { on: (PgColumn | SQLWrapper)[] } | undefined;
  authToken?: unknown;
}

class CrateSelectBuilderRuntime extends PgSelectBuilder<SelectedFields | undefined> {
  static override readonly [entityKind]: string = 'CrateSelectBuilder';

  override from(source: never): never {
    // 0.45's from() constructs a PgSelectBase itself (1.x takes the class to construct), so the CrateDB select is
    // constructed here, with the fields pg-core would give it. Re-prototyping pg-core's object instead cost 15 % of
    // a select's build time (measured on a one-row select).
    const start = this as unknown as SelectStart;
    const select = new CrateSelectRuntime({
      table: source,
      fields: start.fields ?? selectedFieldsOf(source),
      isPartialSelect: start.fields !== undefined,
      session: start.session,
      dialect: start.dialect,
      withList: start.withList ?? [],
      distinct: start.distinct,
    } as never);
    // setToken is internal to drizzle-orm (absent from its declarations); pg-core's from() always calls it.
    return (select as unknown as { setToken(token: unknown): unknown }).setToken(start.authToken) as never;
  }
}

/** The fields a `select().from(source)` without a selection returns, as pg-core works them out. */
function selectedFieldsOf(source: unknown): SelectedFields {
  if (is(source, Subquery)) {
    const selected = (source as Subquery)._.selectedFields as Record<string, unknown>;
    return Object.fromEntries(Object.keys(selected).map((key) => [key, (source as unknown as Record<string, unknown>)[key]])) as SelectedFields;
  }
  if (is(source, PgViewBase)) return (source as unknown as Record<symbol, { selectedFields: SelectedFields }>)[ViewBaseConfig]!.selectedFields;
  if (is(source, SQL)) return {};
  return getTableColumns(source as PgTable) as SelectedFields;
}

/** The select entry points of a CrateDB database, for `db.select*()` and `db.with(...).select*()`. */
export type CrateSelectStarts = SelectTypes.SelectStarts<CrateSelectBuilderKind>;
interface CrateSelectBuilderKind extends SelectTypes.SelectBuilderKind {
  readonly builder: CrateSelectBuilder<this['selection']>;
}

/** One select builder of a CrateDB database: `db.select()` and its kin call this directly, without a starts object. */
export function crateSelectBuilder(
  session: PgSession<any, any, any>,
  dialect: PgDialect,
  fields: SelectedFields | undefined,
  distinct: boolean | { on: (PgColumn | SQLWrapper)[] } | undefined,
  withList?: WithSubquery[],
): CrateSelectBuilder<any> {
  return new CrateSelectBuilderRuntime({ fields, session, dialect, withList, distinct }) as unknown as CrateSelectBuilder<any>;
}

/** CrateSelectStarts over a database's session and dialect, with the CTEs of `with(...)`. */
export function crateSelectStarts(session: PgSession<any, any, any>, dialect: PgDialect, withList?: WithSubquery[]): CrateSelectStarts {
  return {
    select: (fields?: SelectedFields) => crateSelectBuilder(session, dialect, fields, undefined, withList),
    selectDistinct: (fields?: SelectedFields) => crateSelectBuilder(session, dialect, fields, true, withList),
    selectDistinctOn: (on: (PgColumn | SQLWrapper)[], fields?: SelectedFields) => crateSelectBuilder(session, dialect, fields, { on }, withList),
  } as unknown as CrateSelectStarts;
}
