/**
 * The few drizzle-orm internals this package relies on. They exist at run time in drizzle-orm 0.45 (the peer range)
 * but are marked `@internal`, so their types are absent from the published declarations. Declaring them here, in one
 * place, keeps the casts out of the rest of the code and makes an upgrade easy to check.
 */
import * as drizzle from 'drizzle-orm';
import type { SelectedFieldsOrdered } from 'drizzle-orm/pg-core';

type MapResultRow = (
  fields: SelectedFieldsOrdered,
  row: unknown[],
  joinsNotNullableMap: Record<string, boolean> | undefined,
) => Record<string, unknown>;

/** Maps an array row to the nested object Drizzle's select returns, calling each column's `mapFromDriverValue`. */
export const mapResultRow: MapResultRow = (drizzle as unknown as { mapResultRow: MapResultRow }).mapResultRow;

if (typeof mapResultRow !== 'function') {
  throw new Error('drizzle-cratedb: this drizzle-orm version has no mapResultRow; install drizzle-orm 0.45.x.');
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

/** A dialect's column-name casing (`dialect.casing` is `@internal`). */
export function columnCasing(dialect: object): { getColumnCasing(column: object): string } {
  return (dialect as { casing: { getColumnCasing(column: object): string } }).casing;
}

/** The dialect a database builds SQL with (`db.dialect` is `@internal`), so helpers apply the same casing. */
export function dialectOf<TDialect>(db: object): TDialect {
  return (db as { dialect: TDialect }).dialect;
}
