/**
 * The few drizzle-orm internals this package relies on. They exist at run time in drizzle-orm 0.45 (the peer range)
 * but are marked `@internal`, so their types are absent from the published declarations. Declaring them here, in one
 * place, keeps the casts out of the rest of the code and makes an upgrade easy to check.
 */
import type { DriverValueDecoder, SQL } from 'drizzle-orm';

/** The decoder an SQL expression's values go through (`SQL.decoder`, set by `.mapWith()`, is `@internal`). */
export function sqlDecoder(expression: SQL): DriverValueDecoder<unknown, unknown> {
  return (expression as unknown as { decoder: DriverValueDecoder<unknown, unknown> }).decoder;
}

/** Fields pg-core sets on a prepared query after construction. */
export interface PreparedQueryInternals {
  joinsNotNullableMap?: Record<string, boolean>;
}

/** What pg-core's query builders expose to `db.batch()` without declaring it. */
export interface PreparableQuery {
  _prepare(): { execute(placeholders?: Record<string, unknown>): Promise<unknown> };
}

/** drizzle-orm's table symbols (`Table.Symbol` is `@internal`); they are registered with `Symbol.for`. */
export const TableSymbols = {
  Name: Symbol.for('drizzle:Name'),
  Schema: Symbol.for('drizzle:Schema'),
  Columns: Symbol.for('drizzle:Columns'),
  ExtraConfigColumns: Symbol.for('drizzle:ExtraConfigColumns'),
  ExtraConfigBuilder: Symbol.for('drizzle:ExtraConfigBuilder'),
} as const;

/** A table's name and schema (`Table.Symbol.Schema` is `@internal`; drizzle-orm only exports `getTableName`). */
export function tableIdentity(table: object): { name: string; schema: string | undefined } {
  const symbols = table as Record<symbol, string | undefined>;
  return { name: String(symbols[TableSymbols.Name]), schema: symbols[TableSymbols.Schema] };
}

/** A dialect's column-name casing (`dialect.casing` is `@internal`). */
export function columnCasing(dialect: object): { getColumnCasing(column: object): string } {
  return (dialect as { casing: { getColumnCasing(column: object): string } }).casing;
}

/** The dialect a database builds SQL with (`db.dialect` is `@internal`), so helpers apply the same casing. */
export function dialectOf<TDialect>(db: object): TDialect {
  return (db as { dialect: TDialect }).dialect;
}
