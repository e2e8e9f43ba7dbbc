/**
 * Drizzle 0.45 internals this line relies on (present at run time, `@internal` in the declarations); the ones both
 * lines share are in src/dialect/internals.ts.
 */

/** A 0.45 dialect's column-name casing (`dialect.casing` is `@internal`; v1 has no casing in the dialect). */
export function columnCasing(dialect: object): { getColumnCasing(column: object): string } {
  return (dialect as { casing: { getColumnCasing(column: object): string } }).casing;
}

/** Fields pg-core 0.45 sets on a prepared query after construction. */
export interface PreparedQueryInternals {
  joinsNotNullableMap?: Record<string, boolean>;
}
