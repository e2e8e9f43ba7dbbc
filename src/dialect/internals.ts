/**
 * The few drizzle-orm internals this package relies on, on both lines. They exist at run time but are marked
 * `@internal`, so their types are absent from the published declarations. Declaring them here, in one place, keeps
 * the casts out of the rest of the code and makes an upgrade easy to check.
 */
import type { DriverValueDecoder, SQL } from 'drizzle-orm';

/** The decoder an SQL expression's values go through (`SQL.decoder`, set by `.mapWith()`, is `@internal`). */
export function sqlDecoder(expression: SQL): DriverValueDecoder<unknown, unknown> {
  return (expression as unknown as { decoder: DriverValueDecoder<unknown, unknown> }).decoder;
}

/** What pg-core's query builders expose to `db.batch()` without declaring it. */
export interface PreparableQuery {
  _prepare(): { execute(placeholders?: Record<string, unknown>): Promise<unknown> };
}

/** drizzle-orm's table symbols (`Table.Symbol` is `@internal`); they are registered with `Symbol.for` on both lines. */
export const TableSymbols = {
  Name: Symbol.for('drizzle:Name'),
  Schema: Symbol.for('drizzle:Schema'),
  Columns: Symbol.for('drizzle:Columns'),
  ExtraConfigColumns: Symbol.for('drizzle:ExtraConfigColumns'),
  ExtraConfigBuilder: Symbol.for('drizzle:ExtraConfigBuilder'),
} as const;

/** The table a column belongs to (`column.table` is `@internal` on v1). */
export function columnTable(column: object): object {
  return (column as { table: object }).table;
}

/** A table's name and schema (`Table.Symbol.Schema` is `@internal`; drizzle-orm only exports `getTableName`). */
export function tableIdentity(table: object): { name: string; schema: string | undefined } {
  const symbols = table as Record<symbol, string | undefined>;
  return { name: String(symbols[TableSymbols.Name]), schema: symbols[TableSymbols.Schema] };
}

/** `schema.name` or `name`, for messages. */
export function tableLabel(table: object): string {
  const { name, schema } = tableIdentity(table);
  return schema ? `${schema}.${name}` : name;
}

/** The dialect a database builds SQL with (`db.dialect` is `@internal`), so helpers apply the same casing. */
export function dialectOf<TDialect>(db: object): TDialect {
  return (db as { dialect: TDialect }).dialect;
}

/** Installs the table's columns and extra-config callback where Drizzle's own functions look for them. */
export function installTableInternals(
  table: object,
  columns: Record<string, unknown>,
  extraConfigColumns: Record<string, unknown>,
  extraConfig: ((columns: never) => unknown) | undefined,
): void {
  const internals = table as Record<symbol, unknown>;
  Object.assign(table, columns);
  internals[TableSymbols.Columns] = columns;
  internals[TableSymbols.ExtraConfigColumns] = extraConfigColumns;
  internals[TableSymbols.ExtraConfigBuilder] = extraConfig;
}
