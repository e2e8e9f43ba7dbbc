/**
 * The CrateDB clause methods of every column builder, on both Drizzle lines: what they record is the same, only the
 * drizzle-orm class a line's builder extends differs. Each line mixes them into its CrateColumnBuilder (see
 * ./mixins.ts) and passes the parameters of `unique()` and `references()` its pg-core declares, so a builder's type
 * stays the line's own.
 */
import type { SQL } from 'drizzle-orm';
import type { Capable } from '../columns/capabilities.js';
import type { CrateClauses } from './column-model.js';
import { mixIn } from './mixins.js';

export interface CrateClauseMethods<TUniqueArgs extends unknown[], TReferencesArgs extends unknown[]> {
  /** `INDEX OFF`: the column is stored but not indexed, so filtering on it scans. Not for objects and geo types. */
  indexOff<TSelf extends Capable<'indexOff'>>(this: TSelf): TSelf;

  /**
   * `STORAGE WITH (columnstore = false)`: saves disk for values that are never sorted, grouped or aggregated.
   * TEXT, numeric and TIMESTAMP columns only.
   */
  columnstore<TSelf extends Capable<'columnstore'>>(this: TSelf, enabled: boolean): TSelf;

  /** `INDEX USING FULLTEXT [WITH (analyzer = '...')]`: analyzed for `match()`. TEXT columns only. */
  fulltext<TSelf extends Capable<'fulltext'>>(this: TSelf, options?: { analyzer?: string }): TSelf;

  /** A named CHECK constraint on this column, e.g. `.check('price_positive', sql\`price > 0\`)`. */
  check(name: string, expression: SQL): this;

  /**
   * CrateDB has no UNIQUE constraints. Calling this fails when the table is built; make the column (part of) the
   * primary key instead, or insert with `onConflictDoNothing()` on the primary key.
   * @deprecated CrateDB has no UNIQUE constraints.
   */
  unique(...args: TUniqueArgs): this;

  /**
   * CrateDB has no foreign keys. Calling this fails when the table is built; join on the column without a constraint.
   * @deprecated CrateDB has no foreign keys.
   */
  references(...args: TReferencesArgs): this;
}

/** What the methods need of a builder: the clauses it records (`config` is protected in drizzle-orm's declarations). */
const clausesOf = (builder: unknown): CrateClauses => (builder as { config: { crate: CrateClauses } }).config.crate;

const methods: CrateClauseMethods<unknown[], unknown[]> = {
  indexOff() {
    clausesOf(this).index = { method: 'off' };
    return this;
  },
  columnstore(enabled) {
    clausesOf(this).columnstore = enabled;
    return this;
  },
  fulltext(options = {}) {
    clausesOf(this).index = { method: 'fulltext', analyzer: options.analyzer };
    return this;
  },
  check(name, expression) {
    clausesOf(this).checks.push({ name, expression });
    return this;
  },
  unique() {
    clausesOf(this).problems.push({
      rule: 'no-unique',
      message: 'unique() is not supported: CrateDB has no UNIQUE constraints. Make the column (part of) the primary key, or check for an existing row before inserting',
    });
    return this;
  },
  references() {
    clausesOf(this).problems.push({
      rule: 'no-foreign-key',
      message: 'references() is not supported: CrateDB has no foreign keys. Keep the column and join on it; enforce the reference in the application',
    });
    return this;
  },
};

/** Puts the clause methods on a line's base builder class. */
export function mixInClauseMethods(builder: abstract new (...args: never[]) => object): void {
  mixIn(builder, methods);
}
