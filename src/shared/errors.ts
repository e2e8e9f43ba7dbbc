/**
 * The root of every error drizzle-cratedb raises. Like undici's errors, each class carries a stable string `code`,
 * so callers (and the kit's CLI) can tell a user's mistake from a server's answer or a bug without importing classes.
 *
 * `instanceof` works across copies of the package (the ESM and the CommonJS build, a bundled copy, or two versions side
 * by side): each class answers by a brand, a registered symbol named after the class's `errorName`, rather than by
 * prototype identity. Every instance carries the brand of its class and of each ancestor, so `instanceof` is true for
 * exactly those.
 */

/** Every code an error of this package can carry. */
export type CrateErrorCode =
  /** A table or column definition breaks a CrateDB rule (named in `rule`). */
  | 'CRATE_ERR_SCHEMA'
  /** A construct CrateDB cannot run (transactions, DELETE ... RETURNING, ...); the message says what to do instead. */
  | 'CRATE_ERR_UNSUPPORTED'
  /** A value that CrateDB would store differently from what was given (NaN, 1.5 in an integer, an invalid date). */
  | 'CRATE_ERR_VALUE'
  /** A bad option of the client, `drizzle()`, a table or the kit. */
  | 'CRATE_ERR_CONFIG'
  /** A function of this package was called with an argument it cannot take (`knnMatch(col, v, 0)`). */
  | 'CRATE_ERR_ARGUMENT'
  /** The installed drizzle-orm is not the line this entry point serves. */
  | 'CRATE_ERR_DRIZZLE_LINE'
  /** CrateDB answered with an error. */
  | 'CRATE_ERR_SERVER'
  /** No server gave a usable answer, or a statement's outcome is unknown after a transport failure. */
  | 'CRATE_ERR_CONNECTION'
  /** Some rows of a write were applied and others not; the error says which. */
  | 'CRATE_ERR_PARTIAL_WRITE'
  /** A migration folder, snapshot or migration run is inconsistent. */
  | 'CRATE_ERR_MIGRATION'
  /** The kit was used wrongly (command line, prompts, renames). */
  | 'CRATE_ERR_KIT'
  /** The runtime cannot run this package (a Node.js older than it supports), or `drizzle-cratedb/testing` cannot start CrateDB. */
  | 'CRATE_ERR_RUNTIME';

const brands = new WeakMap<typeof CrateError, symbol>();

export class CrateError extends Error {
  /**
   * The class's stable name: the `name` of its errors and the key of its brand. Each class declares its own. One that
   * does not still gets a brand of its own (see {@link CrateError.brand}), so `instanceof` stays exact, but not one a
   * second copy of the package shares, and its errors keep the parent's `name`.
   */
  static readonly errorName: string = 'CrateError';

  /**
   * What `instanceof` looks for. Derived from the class itself rather than declared, so a subclass cannot inherit
   * its parent's (which made every subclass answer for its siblings): registered under its own `errorName` when it
   * has one, otherwise a symbol no other class has.
   */
  static get brand(): symbol {
    let brand = brands.get(this);
    if (brand === undefined) {
      brand = Object.hasOwn(this, 'errorName')
        ? Symbol.for(`drizzle-cratedb.error.${this.errorName}`)
        : Symbol(`drizzle-cratedb.error.${this.name} (no errorName of its own)`);
      brands.set(this, brand);
    }
    return brand;
  }

  // A field initializer, not an assignment in the constructor, so `name` keeps its place before `code`.
  override name: string = (this.constructor as typeof CrateError).errorName;
  readonly code: CrateErrorCode | 'CRATE_ERR' = 'CRATE_ERR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    // Brand the instance with every class of its chain, so `instanceof` holds for each ancestor too.
    for (let type = new.target as typeof CrateError; ; type = Object.getPrototypeOf(type) as typeof CrateError) {
      if (!Object.hasOwn(this, type.brand)) Object.defineProperty(this, type.brand, { value: true });
      if (type === CrateError) break;
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[this.brand] === true;
  }
}

/** Where a schema problem is: the table, and the column (a path such as `details['zip']` for sub-columns). */
export interface SchemaPlace {
  table?: string | undefined;
  /** A view made with crateView, when the problem is in one. */
  view?: string | undefined;
  column?: string | undefined;
  /** A table option (`withOptions`, `clusteredBy`, ...) or column clause, when the problem is in one. */
  option?: string | undefined;
}

/**
 * A schema definition breaks a CrateDB rule. The message names the table, the column (when there is one) and the
 * rule, so the fix can be found without reading a stack trace. `rule` is a stable identifier of the rule enforced.
 */
export class CrateSchemaError extends CrateError {
  static override readonly errorName: string = 'CrateSchemaError';
  override readonly code = 'CRATE_ERR_SCHEMA';
  readonly table: string | undefined;
  readonly view: string | undefined;
  readonly column: string | undefined;
  readonly option: string | undefined;
  /** Which rule was broken, e.g. `key-type`, `no-unique`, `identifier`; listed in {@link SchemaRule}. */
  readonly rule: SchemaRule;

  constructor(where: SchemaPlace, rule: SchemaRule, message: string) {
    super(`${describePlace(where)}${message}`);
    this.table = where.table;
    this.view = where.view;
    this.column = where.column;
    this.option = where.option;
    this.rule = rule;
  }
}

/** The CrateDB rules a schema is checked against; each is enforced in exactly one place. */
export type SchemaRule =
  | 'identifier'
  | 'column-builder'
  | 'column-clause'
  | 'key-type'
  | 'default'
  | 'generated'
  | 'no-unique'
  | 'no-foreign-key'
  | 'no-sequence'
  | 'no-index'
  | 'array-element'
  | 'object-sub-column'
  | 'clustered-by'
  | 'partitioned-by'
  | 'fulltext'
  | 'table-option'
  | 'table-setting'
  | 'duplicate-name'
  | 'view-option'
  | 'view-cycle';

/** What CrateDB cannot do, refused before anything is sent. `construct` names it; the message says what to do instead. */
export class CrateUnsupportedError extends CrateError {
  static override readonly errorName: string = 'CrateUnsupportedError';
  override readonly code = 'CRATE_ERR_UNSUPPORTED';
  readonly construct: string;

  constructor(construct: string, advice: string) {
    super(`CrateDB does not support ${construct}. ${advice}`);
    this.construct = construct;
  }
}

/**
 * A value CrateDB would store differently from what was given, refused before sending: NaN or Infinity, a fraction
 * in an integer column, an invalid or out-of-range date, a Map, a function. `where` names the column or parameter.
 */
export class CrateValueError extends CrateError {
  static override readonly errorName: string = 'CrateValueError';
  override readonly code = 'CRATE_ERR_VALUE';
  readonly where: string;

  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.where = where;
  }
}

/** A bad option: unknown key, wrong type, out of range. `option` names it (dotted for nested options). */
export class CrateConfigError extends CrateError {
  static override readonly errorName: string = 'CrateConfigError';
  override readonly code = 'CRATE_ERR_CONFIG';
  readonly option: string | undefined;

  constructor(message: string, option?: string) {
    super(message);
    this.option = option;
  }
}

/** A function of this package was called with an argument it cannot take; the message names the function. */
export class CrateArgumentError extends CrateError {
  static override readonly errorName: string = 'CrateArgumentError';
  override readonly code = 'CRATE_ERR_ARGUMENT';
}

/** The entry point imported does not serve the drizzle-orm that is installed. */
export class CrateDrizzleLineError extends CrateError {
  static override readonly errorName: string = 'CrateDrizzleLineError';
  override readonly code = 'CRATE_ERR_DRIZZLE_LINE';
}

/** Some rows of a write were applied, others were not. Subclasses say which. */
export class CratePartialWriteError extends CrateError {
  static override readonly errorName: string = 'CratePartialWriteError';
  override readonly code = 'CRATE_ERR_PARTIAL_WRITE';
}

/** A migration folder, snapshot or run is not as it should be. */
export class CrateMigrationError extends CrateError {
  static override readonly errorName: string = 'CrateMigrationError';
  override readonly code = 'CRATE_ERR_MIGRATION';
}

/** The kit was used wrongly: a command-line flag, a rename answer, a folder that is not a migration folder. */
export class CrateKitError extends CrateError {
  static override readonly errorName: string = 'CrateKitError';
  override readonly code = 'CRATE_ERR_KIT';
}

/** Codes that mean "the caller asked for something wrong", as opposed to a server's answer or a failure. */
export const USER_ERROR_CODES: ReadonlySet<string> = new Set<CrateErrorCode>([
  'CRATE_ERR_SCHEMA',
  'CRATE_ERR_UNSUPPORTED',
  'CRATE_ERR_VALUE',
  'CRATE_ERR_CONFIG',
  'CRATE_ERR_ARGUMENT',
  'CRATE_ERR_DRIZZLE_LINE',
  'CRATE_ERR_MIGRATION',
  'CRATE_ERR_KIT',
]);

export function isCrateError(value: unknown): value is CrateError {
  return value instanceof CrateError;
}

/**
 * The error of this package behind `error`, following `cause`: Drizzle v1 wraps what a driver throws in its
 * DrizzleQueryError, so `crateErrorOf(error)?.kind === 'duplicate-key'` reads the same on both lines.
 */
export function crateErrorOf(error: unknown): CrateError | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof CrateError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describePlace(where: SchemaPlace): string {
  const parts = [
    where.table === undefined ? undefined : `table "${where.table}"`,
    where.view === undefined ? undefined : `view "${where.view}"`,
    where.column === undefined ? undefined : `column "${where.column}"`,
    where.option === undefined ? undefined : where.option,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

/**
 * The runtime cannot run what was asked: a Node.js older than the package supports, (in `drizzle-cratedb/testing`)
 * no testcontainers or no container engine, or (in the kit's CLI) no tsx for a TypeScript file that Node.js cannot
 * load by itself. The message says what is needed.
 */
export class CrateRuntimeError extends CrateError {
  static override readonly errorName: string = 'CrateRuntimeError';
  override readonly code = 'CRATE_ERR_RUNTIME';
}
