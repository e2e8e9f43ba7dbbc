/**
 * crateView on Drizzle v1: pg-core's own view builders (so `db.select().from(view)` is typed and rendered by
 * Drizzle as for pgView), with what CrateDB refuses taken out and each view registered for createTables and the kit.
 * As v1's tables, a view carries its columns' casing (`snakeCase.view`, `crateSchema('s', casing).view`).
 */
import type { ColumnsSelection, SQL } from 'drizzle-orm';
import type { TypedQueryBuilder } from 'drizzle-orm/query-builders/query-builder';
import type { AddAliasToSelection } from 'drizzle-orm/query-builders/select.types';
import {
  getViewConfig,
  ManualViewBuilder,
  PgDialect,
  PgView,
  ViewBuilder,
  type AnyPgColumnBuilder,
  type PgBuildColumns,
  type PgViewWithSelection,
  type QueryBuilder,
  type ViewWithConfig,
} from 'drizzle-orm/pg-core';
import { foreignBuilderError } from '../../columns/foreign-builders.js';
import { viewDefinition, viewOptionError } from '../../dialect/views.js';
import { checkViewName, isRegisteredView, registerView, type ViewDefinition } from '../../tables/views.js';
import type { Casing } from '../../shared/casing.js';
import { CrateArgumentError } from '../../shared/errors.js';
import { CrateColumnBuilder, type crateCapabilities } from './columns/common.js';

/** As crateTable's columns (columns/table.ts is not imported: it imports this module for crateSchema().view). */
type CrateColumnsMap = Record<string, AnyPgColumnBuilder & { readonly [crateCapabilities]: unknown }>;

/** `crateView(name).as((qb) => qb.select(...).from(table))`: the columns are the query's. */
export class CrateViewBuilder<TName extends string = string, TSchema extends string | undefined = undefined> extends ViewBuilder<TName, TSchema> {
  /** CrateDB's CREATE VIEW takes no WITH options: refused here, naming the view. */
  override with(_config: ViewWithConfig): never {
    throw viewOptionError(this.name);
  }

  override as<TSelectedFields extends ColumnsSelection>(
    qb: TypedQueryBuilder<TSelectedFields> | ((qb: QueryBuilder) => TypedQueryBuilder<TSelectedFields>),
  ): PgViewWithSelection<{ name: TName; schema: TSchema; existing: false; isAlias: false; selectedFields: AddAliasToSelection<TSelectedFields, TName, 'pg'> }> {
    return registered(super.as(qb));
  }
}

/** `crateView(name, columns).as(sql\`...\`)` or `.existing()`: the columns are declared with drizzle-cratedb builders. */
export class CrateManualViewBuilder<
  TName extends string = string,
  TColumns extends CrateColumnsMap = CrateColumnsMap,
  TSchema extends string | undefined = undefined,
> extends ManualViewBuilder<TName, TColumns, TSchema> {
  override with(_config: ViewWithConfig): never {
    throw viewOptionError(this.name);
  }

  override as(query: SQL): PgViewWithSelection<{ name: TName; schema: TSchema; existing: false; isAlias: false; selectedFields: PgBuildColumns<TName, TColumns> }> {
    return registered(super.as(query));
  }
}

/** `crateView(name)` / `crateView(name, columns)`, as pg-core's pgView. */
export interface CrateViewFn<TSchema extends string | undefined = undefined> {
  <TName extends string>(name: TName): CrateViewBuilder<TName, TSchema>;
  <TName extends string, TColumns extends CrateColumnsMap>(name: TName, columns: TColumns): CrateManualViewBuilder<TName, TColumns, TSchema>;
}

/** A view in the connection's default schema; `crateSchema('s').view(...)` places one in another. */
export const crateView: CrateViewFn = schemaViewFn(undefined, undefined);

/** crateView, and crateSchema(...).view / snakeCase.view / camelCase.view. */
export function schemaViewFn<TSchema extends string | undefined>(schema: TSchema, casing: Casing | undefined): CrateViewFn<TSchema> {
  return ((name: string, columns?: CrateColumnsMap) => {
    checkViewName(name, schema);
    if (columns === undefined) return new CrateViewBuilder(name, schema);
    for (const [key, builder] of Object.entries(columns)) {
      if (!(builder instanceof CrateColumnBuilder)) throw foreignBuilderError(name, key, builder);
    }
    return new CrateManualViewBuilder(name, columns, schema, casing);
  }) as CrateViewFn<TSchema>;
}

/** True for a view made with crateView(...).as(...) (not `.existing()`, which nothing creates). */
export function isCrateView(value: unknown): value is PgView {
  return value instanceof PgView && isRegisteredView(value);
}

/** The name, schema and query text of a view made with crateView(...).as(...), as CREATE VIEW sends it. */
export function describeView(view: PgView): ViewDefinition {
  if (!isRegisteredView(view)) {
    throw new CrateArgumentError(`view "${getViewConfig(view).name}" was not made with crateView(...).as(...); an .existing() view has no definition`);
  }
  return render(view);
}

function render(view: PgView): ViewDefinition {
  const config = getViewConfig(view);
  const dialect = new PgDialect();
  return viewDefinition({ name: config.name, schema: config.schema as string | undefined }, config.query as SQL, (query) => dialect.sqlToQuery(query));
}

function registered<T extends PgView>(view: T): T {
  registerView(view, () => render(view));
  return view;
}
