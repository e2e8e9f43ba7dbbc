/**
 * A table's CrateDB definition as plain, JSON-ready data: every expression already rendered to SQL text, every
 * column named as it is in the database. It is the one shape that DDL generation renders, that the kit stores in
 * snapshots and diffs, that introspection of a live database produces and that the schema rules check, so none of
 * them can disagree. Both Drizzle lines describe their tables into it.
 */

/** `dynamic`: new keys become new sub-columns; `strict`: unknown keys are refused; `ignored`: kept, not indexed. */
export type ObjectPolicy = 'dynamic' | 'strict' | 'ignored';

/** How a column is indexed. `geohash`, `quadtree` and `bkdtree` exist for GEO_SHAPE only. */
export type ColumnIndex =
  | { readonly method: 'off' }
  | { readonly method: 'plain' }
  | { readonly method: 'fulltext'; readonly analyzer?: string | undefined }
  | {
      readonly method: 'geohash' | 'quadtree' | 'bkdtree';
      readonly precision?: string | undefined;
      readonly distanceErrorPct?: number | undefined;
      readonly treeLevels?: number | undefined;
    };

export type ColumnType =
  | { readonly kind: 'scalar'; readonly name: string }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'object'; readonly policy: ObjectPolicy; readonly columns: readonly ColumnDefinition[] };

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  /** SQL text of the DEFAULT expression. */
  readonly default?: string;
  /** SQL text of the GENERATED ALWAYS AS expression. */
  readonly generated?: string;
  readonly index?: ColumnIndex;
  /** `false` for `STORAGE WITH (columnstore = false)`; absent means CrateDB's default (on). */
  readonly columnstore?: false;
}

export type TableSettingValue = string | number | boolean;

export interface TableDefinition {
  /** Absent: the connection's default schema (`doc` unless configured). */
  readonly schema?: string;
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey?: { readonly name?: string; readonly columns: readonly string[] };
  readonly checks: readonly { readonly name?: string; readonly expression: string }[];
  readonly fulltextIndexes: readonly { readonly name: string; readonly columns: readonly string[]; readonly analyzer?: string }[];
  readonly clusteredBy?: { readonly column?: string; readonly shards?: number };
  readonly partitionedBy: readonly string[];
  readonly settings: Readonly<Record<string, TableSettingValue>>;
}

/** Mutable while a definition is assembled. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };

/** Adds `key: value` only when the value is defined, so definitions stay free of `undefined` (and JSON-stable). */
export function withOptional<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): T & { [P in K]?: V } {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target as T & { [P in K]?: V };
}
