/**
 * crateView on Drizzle 0.45: pg-core's own view builders (so `db.select().from(view)` is typed and rendered by
 * Drizzle as for pgView), with what CrateDB refuses taken out and each view registered for createTables and the kit.
 */
import type { BuildColumns, ColumnsSelection, SQL } from 'drizzle-orm';
import type { TypedQueryBuilder } from 'drizzle-orm/query-builders/query-builder';
import type { AddAliasToSelection } from 'drizzle-orm/query-builders/select.types';
import { getViewConfig, ManualViewBuilder, PgDialect, PgView, ViewBuilder, type PgColumnBuilderBase, type PgViewWithSelection, type QueryBuilder, type ViewWithConfig } from 'drizzle-orm/pg-core';
import { foreignBuilderError } from '../../columns/foreign-builders.js';
import { viewDefinition, viewOptionError } from '../../dialect/views.js';
import { checkViewName, isRegisteredView, registerView, type ViewDefinition } from '../../tables/views.js';
import type { Casing } from '../../shared/casing.js';
import { CrateArgumentError } from '../../shared/errors.js';
import { CrateColumnBuilder, type crateCapabilities } from './columns/common.js';

/** As crateTable's columns (columns/table.ts is not imported: it imports this module for crateSchema().view). */
type CrateColumnsMap = Record<string, PgColumnBuilderBase & { readonly [crateCapabilities]: unknown }>;

/** `crateView(name).as((qb) => qb.select(...).from(table))`: the columns are the query's. */
export class CrateViewBuilder<TName extends string = string> extends ViewBuilder<TName> {
  /** CrateDB's CREATE VIEW takes no WITH options: refused here, naming the view. */
  override with(_config: ViewWithConfig): never {
    throw viewOptionError(this.name);
  }

  override as<TSelectedFields extends ColumnsSelection>(
    qb: TypedQueryBuilder<TSelectedFields> | ((qb: QueryBuilder) => TypedQueryBuilder<TSelectedFields>),
  ): PgViewWithSelection<TName, false, AddAliasToSelection<TSelectedFields, TName, 'pg'>> {
    return registered(super.as(qb));
  }
}

/** `crateView(name, columns).as(sql\`...\`)` or `.existing()`: the columns are declared with drizzle-cratedb builders. */
export class CrateManualViewBuilder<
  TName extends string = string,
  TColumns extends CrateColumnsMap = CrateColumnsMap,
> extends ManualViewBuilder<TName, TColumns> {
  override with(_config: ViewWithConfig): never {
    throw viewOptionError(this.name);
  }

  override as(query: SQL): PgViewWithSelection<TName, false, BuildColumns<TName, TColumns, 'pg'>> {
    return registered(super.as(query));
  }
}

/** `crateView(name)` / `crateView(name, columns)`, as pg-core's pgView. */
export interface CrateViewFn {
  <TName extends string>(name: TName): CrateViewBuilder<TName>;
  <TName extends string, TColumns extends CrateColumnsMap>(name: TName, columns: TColumns): CrateManualViewBuilder<TName, TColumns>;
}

/** A view in the connection's default schema; `crateSchema('s').view(...)` places one in another. */
export const crateView: CrateViewFn = schemaViewFn(undefined);

/** crateView, and crateSchema(...).view for a schema. */
export function schemaViewFn(schema: string | undefined): CrateViewFn {
  return ((name: string, columns?: CrateColumnsMap) => crateViewIn(name, schema, columns)) as CrateViewFn;
}

function crateViewIn(name: string, schema: string | undefined, columns: CrateColumnsMap | undefined): CrateViewBuilder | CrateManualViewBuilder {
  checkViewName(name, schema);
  if (columns === undefined) return new CrateViewBuilder(name, schema);
  for (const [key, builder] of Object.entries(columns)) {
    if (!(builder instanceof CrateColumnBuilder)) throw foreignBuilderError(name, key, builder);
  }
  return new CrateManualViewBuilder(name, columns, schema);
}

/** True for a view made with crateView(...).as(...) (not `.existing()`, which nothing creates). */
export function isCrateView(value: unknown): value is PgView {
  return value instanceof PgView && isRegisteredView(value);
}

/**
 * The name, schema and query text of a view made with crateView(...).as(...), as CREATE VIEW sends it. Column names
 * follow `casing`, or the casing of `dialect` (a database's, so the view reads the columns its queries write).
 */
export function describeView(view: PgView, options: { casing?: Casing | undefined; dialect?: PgDialect | undefined } = {}): ViewDefinition {
  if (!isRegisteredView(view)) {
    throw new CrateArgumentError(`view "${getViewConfig(view).name}" was not made with crateView(...).as(...); an .existing() view has no definition`);
  }
  return render(view, options.dialect ?? new PgDialect({ casing: options.casing }));
}

function render(view: PgView, dialect: PgDialect): ViewDefinition {
  const config = getViewConfig(view);
  return viewDefinition({ name: config.name, schema: config.schema }, config.query!, (query) => dialect.sqlToQuery(query));
}

function registered<T extends PgView>(view: T): T {
  registerView(view, ({ casing }) => render(view, new PgDialect({ casing })));
  return view;
}
