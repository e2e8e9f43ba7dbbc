/**
 * Type-level mirror of what a column type allows, for the builders of both lines: builder classes declare which
 * optional methods their type accepts, so `geoPoint().indexOff()` or `boolean().columnstore(false)` do not compile.
 * What a type accepts is read from the type table (src/columns/types.ts), which also checks it at run time for
 * JavaScript callers.
 */
import type { COLUMN_TYPES, OBJECT_ALLOWS, ScalarFamily } from './types.js';

export const crateCapabilities: unique symbol = Symbol('drizzle-cratedb:capabilities');

/** The clauses a builder has a method for. */
export type BuilderClause = 'indexOff' | 'columnstore' | 'fulltext';

export interface Capable<TFeature extends BuilderClause> {
  readonly [crateCapabilities]: { readonly [K in TFeature]: true };
}

type Allows<TFamily extends ScalarFamily | 'OBJECT'> = TFamily extends ScalarFamily ? (typeof COLUMN_TYPES)[TFamily]['allows'] : typeof OBJECT_ALLOWS;

/**
 * What a builder of the type declares under `[crateCapabilities]`: `CapabilitiesOf<'BIGINT'>` is
 * `{ readonly indexOff: true; readonly columnstore: true }`, from the BIGINT row of the type table. A builder of
 * several types names them all; a method is then offered only if every one of them allows it. (Distributed, so that
 * a subclass's declaration is compared by its members, not by its type argument.)
 */
export type CapabilitiesOf<TFamily extends ScalarFamily | 'OBJECT'> = TFamily extends unknown
  ? { readonly [K in BuilderClause as Allows<TFamily>[K] extends true ? K : never]: true }
  : never;
