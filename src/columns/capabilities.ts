/**
 * Type-level mirror of what a column type allows, for the builders of both lines: builder classes declare which
 * optional methods their type accepts, so `geoPoint().indexOff()` or `boolean().columnstore(false)` do not compile.
 * The same rules are checked at run time (src/columns/types.ts), for JavaScript callers.
 */
export const crateCapabilities: unique symbol = Symbol('drizzle-cratedb:capabilities');

export interface Capable<TFeature extends 'indexOff' | 'columnstore' | 'fulltext'> {
  readonly [crateCapabilities]: { readonly [K in TFeature]: true };
}
