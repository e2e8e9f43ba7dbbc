import {
  ColumnBuilder,
  entityKind,
  getTableName,
  sql,
  type ColumnBuilderBaseConfig,
  type ColumnBuilderExtraConfig,
  type ColumnBuilderRuntimeConfig,
  type ColumnDataType,
  type HasGenerated,
  type SQL,
} from 'drizzle-orm';
import { ExtraConfigColumn, PgColumn, type AnyPgTable, type PgTable } from 'drizzle-orm/pg-core';
import type { ColumnBaseConfig } from 'drizzle-orm';
import { CrateSchemaError } from '../dialect/errors.js';
import type { CrateArrayBuilderFor } from './array.js';

/** How a column is indexed. `geohash`, `quadtree` and `bkdtree` exist for GEO_SHAPE only. */
export type CrateColumnIndex =
  | { readonly method: 'off' }
  | { readonly method: 'plain' }
  | { readonly method: 'fulltext'; readonly analyzer?: string | undefined }
  | {
      readonly method: 'geohash' | 'quadtree' | 'bkdtree';
      readonly precision?: string | undefined;
      readonly distanceErrorPct?: number | undefined;
      readonly treeLevels?: number | undefined;
    };

export interface CrateCheck {
  readonly name: string | undefined;
  readonly expression: SQL;
}

/** The CrateDB-specific part of a column definition; DDL, snapshots and introspection all read this one shape. */
export interface CrateColumnOptions {
  index: CrateColumnIndex | undefined;
  columnstore: boolean | undefined;
  checks: CrateCheck[];
  /** Rules broken while the column was declared; reported with the table and column names when the table is built. */
  problems: string[];
}

export type CrateRuntimeConfig = { crate: CrateColumnOptions };

/** Which optional clauses CrateDB allows on a column type. Checked when the table is built. */
export interface CrateColumnCapabilities {
  readonly indexOff: boolean;
  readonly columnstore: boolean;
  readonly fulltext: boolean;
  readonly primaryKey: boolean;
  readonly default: boolean;
}

/**
 * Type-level mirror of {@link CrateColumnCapabilities}: builder classes declare which optional methods their type
 * accepts, so `geoPoint().indexOff()` or `boolean().columnstore(false)` do not compile. The same rules are checked at
 * run time, for JavaScript callers.
 */
export const crateCapabilities: unique symbol = Symbol('drizzle-cratedb:capabilities');
export interface Capable<TFeature extends 'indexOff' | 'columnstore' | 'fulltext'> {
  readonly [crateCapabilities]: { readonly [K in TFeature]: true };
}

const SCALAR: CrateColumnCapabilities = { indexOff: true, columnstore: false, fulltext: false, primaryKey: true, default: true };

/**
 * Base of every drizzle-cratedb column builder. It is a pg-core builder as far as Drizzle's typing goes (dialect
 * 'pg'), so tables work with every pg-core query builder, but it knows CrateDB's column clauses and refuses what
 * CrateDB cannot store.
 */
export abstract class CrateColumnBuilder<
  T extends ColumnBuilderBaseConfig<ColumnDataType, string> = ColumnBuilderBaseConfig<ColumnDataType, string>,
  TRuntimeConfig extends object = object,
  TTypeConfig extends object = object,
  TExtraConfig extends ColumnBuilderExtraConfig = ColumnBuilderExtraConfig,
> extends ColumnBuilder<T, TRuntimeConfig & CrateRuntimeConfig, TTypeConfig & { dialect: 'pg' }, TExtraConfig> {
  static override readonly [entityKind]: string = 'CrateColumnBuilder';

  /** What this column type allows; subclasses widen or narrow it. */
  protected get capabilities(): CrateColumnCapabilities {
    return SCALAR;
  }

  constructor(name: T['name'], dataType: T['dataType'], columnType: T['columnType']) {
    super(name, dataType, columnType);
    this.config.crate = { index: undefined, columnstore: undefined, checks: [], problems: [] };
  }

  /** Type-only: which optional clauses this builder's type accepts (see {@link Capable}). */
  declare readonly [crateCapabilities]: { readonly indexOff?: true; readonly columnstore?: true; readonly fulltext?: true };

  /** `INDEX OFF`: the column is stored but not indexed, so filtering on it scans. Not for objects and geo types. */
  indexOff<TSelf extends Capable<'indexOff'>>(this: TSelf): TSelf {
    const self = this as unknown as CrateColumnBuilder;
    if (!self.capabilities.indexOff) self.problem('indexOff() is not allowed: CrateDB cannot turn off the index of this column type');
    self.config.crate.index = { method: 'off' };
    return this;
  }

  /**
   * `STORAGE WITH (columnstore = false)`: saves disk for values that are never sorted, grouped or aggregated.
   * TEXT, numeric and TIMESTAMP columns only.
   */
  columnstore<TSelf extends Capable<'columnstore'>>(this: TSelf, enabled: boolean): TSelf {
    const self = this as unknown as CrateColumnBuilder;
    if (!self.capabilities.columnstore) {
      self.problem('columnstore() is not allowed: CrateDB only accepts the columnstore option on TEXT, numeric and TIMESTAMP columns');
    }
    self.config.crate.columnstore = enabled;
    return this;
  }

  /** `INDEX USING FULLTEXT [WITH (analyzer = '...')]`: analyzed for `match()`. Text columns only. */
  fulltext<TSelf extends Capable<'fulltext'>>(this: TSelf, options: { analyzer?: string } = {}): TSelf {
    const self = this as unknown as CrateColumnBuilder;
    if (!self.capabilities.fulltext) self.problem('fulltext() is not allowed: only text columns can have a full-text index');
    self.config.crate.index = { method: 'fulltext', analyzer: options.analyzer };
    return this;
  }

  /** A named CHECK constraint on this column, e.g. `.check('price_positive', sql\`price > 0\`)`. */
  check(name: string, expression: SQL): this {
    this.config.crate.checks.push({ name, expression });
    return this;
  }

  /**
   * `GENERATED ALWAYS AS (expression)`: CrateDB computes and stores the value on insert. The expression may not
   * reference another generated column.
   */
  generatedAlwaysAs(as: SQL | T['data'] | (() => SQL)): HasGenerated<this, { type: 'always' }> {
    this.config.generated = { as, type: 'always', mode: 'stored' };
    return this as HasGenerated<this, { type: 'always' }>;
  }

  /**
   * CrateDB has no UNIQUE constraints. Calling this fails when the table is built; make the column (part of) the
   * primary key instead, or insert with `onConflictDoNothing()` on the primary key.
   * @deprecated CrateDB has no UNIQUE constraints.
   */
  unique(_name?: string): this {
    this.problem(
      'unique() is not supported: CrateDB has no UNIQUE constraints. Make the column (part of) the primary key, ' +
        'or check for an existing row before inserting',
    );
    return this;
  }

  /**
   * CrateDB has no foreign keys. Calling this fails when the table is built; join on the column without a constraint.
   * @deprecated CrateDB has no foreign keys.
   */
  references(_ref: () => unknown, _actions?: unknown): this {
    this.problem(
      'references() is not supported: CrateDB has no foreign keys. Keep the column and join on it; enforce the ' +
        'reference in the application',
    );
    return this;
  }

  /** `ARRAY(type)`: a column holding an array of this type; `.array().array()` nests. */
  array(): CrateArrayBuilderFor<this> {
    if (!arrayBuilder) throw new Error('drizzle-cratedb: import array support from the package entry point');
    return arrayBuilder(this as unknown as AnyCrateColumnBuilder) as CrateArrayBuilderFor<this>;
  }

  /** @internal what this column type allows, for builders that wrap others (arrays) */
  getCapabilities(): CrateColumnCapabilities {
    return this.capabilities;
  }

  /** @internal drizzle's ColumnBuilder names a builder after its key when no name was given */
  declare setName: (name: string) => void;

  protected problem(rule: string): void {
    this.config.crate.problems.push(rule);
  }

  /** @internal called by crateTable */
  abstract build(table: AnyPgTable): CrateColumn;

  /** @internal pg-core's table factory asks every builder for inline foreign keys; CrateDB has none. */
  buildForeignKeys(): never[] {
    return [];
  }

  /** @internal the columns handed to a table's extra-config callback */
  buildExtraConfigColumn(table: AnyPgTable): ExtraConfigColumn {
    return new ExtraConfigColumn(table, this.config as never);
  }

  /** @internal validation with the names known: the table's and the column's. */
  checkDeclaration(tableName: string): void {
    const column = this.config.name;
    const [first] = this.config.crate.problems;
    if (first !== undefined) throw new CrateSchemaError({ table: tableName, column }, first);
    if (this.config.primaryKey && !this.capabilities.primaryKey) {
      throw new CrateSchemaError(
        { table: tableName, column },
        'this column type cannot be a PRIMARY KEY: CrateDB refuses object, geo, vector and array columns as keys',
      );
    }
    if (this.config.default !== undefined && !this.capabilities.default) {
      throw new CrateSchemaError(
        { table: tableName, column },
        'CrateDB does not allow a DEFAULT on an OBJECT column; put defaults on its sub-columns instead',
      );
    }
    if (this.config.generated !== undefined && this.config.hasDefault && this.config.default !== undefined) {
      throw new CrateSchemaError({ table: tableName, column }, 'a generated column cannot also have a DEFAULT');
    }
  }

  /** @internal the builder's runtime config, for builders that wrap other builders (arrays, objects) */
  getConfig(): ColumnBuilderRuntimeConfig<T['data'], TRuntimeConfig & CrateRuntimeConfig> {
    return this.config;
  }
}

/**
 * Base of every drizzle-cratedb column. `crate` holds the CrateDB clauses; `sqlType()` is the type as CREATE TABLE
 * spells it; `mapFromDriverValue` only narrows values the transport already decoded by `col_types`.
 */
export abstract class CrateColumn<
  T extends ColumnBaseConfig<ColumnDataType, string> = ColumnBaseConfig<ColumnDataType, string>,
  TRuntimeConfig extends object = object,
> extends PgColumn<T, TRuntimeConfig & CrateRuntimeConfig> {
  static override readonly [entityKind]: string = 'CrateColumn';

  readonly crate: CrateColumnOptions;

  constructor(table: AnyPgTable, config: ColumnBuilderRuntimeConfig<T['data'], TRuntimeConfig & CrateRuntimeConfig>) {
    super(table as PgTable, config);
    this.crate = config.crate;
  }

  /**
   * True when values cross the wire unchanged in both directions, so containers (arrays, objects) can skip the
   * per-element mapping.
   */
  get mapsIdentically(): boolean {
    return true;
  }

  /** Where this column sits, for error messages: `"doc"."table"."column"`. */
  protected describe(): string {
    return `column "${getTableName(this.table)}"."${this.name}"`;
  }
}

/**
 * array.ts registers its builder here: it extends CrateColumnBuilder, so importing it from this module would be a
 * cycle that leaves the base class undefined while array.ts evaluates.
 */
let arrayBuilder: ((element: AnyCrateColumnBuilder) => unknown) | undefined;
export function registerArrayBuilder(factory: (element: AnyCrateColumnBuilder) => unknown): void {
  arrayBuilder = factory;
}

/** A builder of any drizzle-cratedb column type, for places that accept any of them (object sub-columns). */
export type AnyCrateColumnBuilder = CrateColumnBuilder<ColumnBuilderBaseConfig<ColumnDataType, string>, object, object>;

/** `DEFAULT now()` for timestamps; `now()` is what CrateDB stores for `CURRENT_TIMESTAMP` too. */
export const nowSql = (): SQL => sql`now()`;
