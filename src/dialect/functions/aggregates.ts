/**
 * Aggregates typed as CrateDB returns them. drizzle-orm's `avg()` and `sum()` are typed for PostgreSQL, whose
 * `numeric` results arrive as strings; CrateDB answers `avg` with a DOUBLE, `sum` of integers with a BIGINT and `sum`
 * of floats with a DOUBLE or REAL, all JSON numbers (crate/crate docs/general/builtins/aggregation.rst; measured on
 * 6.4.3). drizzle-orm's `count`, `countDistinct`, `min` and `max` are typed right already and are not repeated here.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { CrateArgumentError, CrateUnsupportedError, CrateValueError } from '../../shared/errors.js';
import { isCrateColumn } from '../column-model.js';

/** A JSON number as the transport gives it (a bigint beyond 2^53) → a number, refusing to round. */
function toNumber(aggregate: string): (value: unknown) => number {
  return (value) => {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value))) {
      const exact = BigInt(value);
      if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new CrateValueError(`${aggregate}()`, `${exact} is beyond Number.MAX_SAFE_INTEGER and would be rounded; use sum(x, { mode: 'bigint' })`);
      }
      return Number(exact);
    }
    return Number(value);
  };
}

function toBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new CrateValueError('sum()', `${value} is not a whole number; { mode: 'bigint' } is for sums of integer columns`);
  }
  return BigInt(value as number | string);
}

/**
 * `variance`, `percentile` and `geometric_mean` of a NUMERIC fail on 6.4.3 with a misleading "Cannot cast value to
 * type byte", so they are refused here with the cast that works.
 */
function refuseNumeric(name: string, expression: SQLWrapper): void {
  if (isCrateColumn(expression) && expression.crate.spec.kind === 'numeric') {
    throw new CrateUnsupportedError(
      `${name}() of the NUMERIC column "${expression.name}"`,
      `Cast it to double first: ${name}(sql\`\${column}::double precision\`).`,
    );
  }
}

/** `avg(x)`: a DOUBLE (a NUMERIC for a NUMERIC column), null without rows. */
export function avg(expression: SQLWrapper): SQL<number | null> {
  return sql`avg(${expression})`.mapWith(toNumber('avg'));
}

/**
 * `sum(x)`: a BIGINT for integer columns (exact, CrateDB does not overflow at 2^31), a DOUBLE or REAL for floats,
 * null without rows. A sum beyond 2^53 is refused rather than rounded: ask for `{ mode: 'bigint' }`. Beyond 2^63
 * CrateDB fails with "long overflow"; sum `sql\`${column}::numeric\`` then.
 */
export function sum(expression: SQLWrapper): SQL<number | null>;
export function sum(expression: SQLWrapper, options: { mode: 'bigint' }): SQL<bigint | null>;
export function sum(expression: SQLWrapper, options: { mode: 'number' }): SQL<number | null>;
export function sum(expression: SQLWrapper, options?: { mode: 'number' | 'bigint' }): SQL<number | bigint | null> {
  return sql`sum(${expression})`.mapWith(options?.mode === 'bigint' ? toBigint : toNumber('sum'));
}

/** `stddev(x)`: a DOUBLE; the sample standard deviation on 6.4.3 (10 for 10, 20, 30), while `variance` is the population one. */
export function stddev(expression: SQLWrapper): SQL<number | null> {
  return sql`stddev(${expression})`.mapWith(toNumber('stddev'));
}

/** `variance(x)`: the population variance, a DOUBLE (66.67 for 10, 20, 30). */
export function variance(expression: SQLWrapper): SQL<number | null> {
  refuseNumeric('variance', expression);
  return sql`variance(${expression})`.mapWith(toNumber('variance'));
}

/** `geometric_mean(x)`: a DOUBLE. */
export function geometricMean(expression: SQLWrapper): SQL<number | null> {
  refuseNumeric('geometricMean', expression);
  return sql`geometric_mean(${expression})`.mapWith(toNumber('geometric_mean'));
}

/**
 * `percentile(x, fraction)`: the value at a fraction (0..1), a DOUBLE; with several fractions, an array of them.
 * Values beyond 2^53 come back with a double's precision.
 */
export function percentile(expression: SQLWrapper, fraction: number): SQL<number | null>;
export function percentile(expression: SQLWrapper, fractions: readonly number[]): SQL<number[] | null>;
export function percentile(expression: SQLWrapper, fractions: number | readonly number[]): SQL<number | number[] | null> {
  refuseNumeric('percentile', expression);
  const list = typeof fractions === 'number' ? [fractions] : fractions;
  for (const fraction of list) {
    if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
      throw new CrateArgumentError(`percentile(): a fraction must be a number from 0 to 1, got ${String(fraction)}`);
    }
  }
  // The fractions are literals in the statement: CrateDB plans percentile by the type of its second argument.
  const argument = typeof fractions === 'number' ? sql.raw(String(fractions)) : sql.raw(`[${list.map(String).join(', ')}]`);
  const single = toNumber('percentile');
  return sql`percentile(${expression}, ${argument})`.mapWith((value: unknown) =>
    Array.isArray(value) ? value.map((item: unknown) => (item === null ? null : single(item))) : single(value),
  ) as SQL<number | number[] | null>;
}
