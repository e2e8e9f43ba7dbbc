/** Full-text search: CrateDB's MATCH predicate and the relevance score. */
import { is, SQL, sql, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { literal } from '../../shared/sql-text.js';
import { CrateArgumentError } from '../../shared/errors.js';

export type MatchType = 'best_fields' | 'most_fields' | 'cross_fields' | 'phrase' | 'phrase_prefix';

/** MATCH options (`WITH (...)`), typed where CrateDB documents them. */
export interface MatchOptions {
  analyzer?: string;
  boost?: number;
  cutoff_frequency?: number;
  fuzziness?: number | 'AUTO' | string;
  fuzzy_rewrite?: string;
  max_expansions?: number;
  minimum_should_match?: number | string;
  operator?: 'or' | 'and';
  prefix_length?: number;
  rewrite?: string;
  slop?: number;
  tie_breaker?: number;
  zero_terms_query?: 'none' | 'all';
}

/** What MATCH searches: a column, a named full-text index, or several of them with boosts. */
export type MatchTarget = PgColumn | SQLWrapper | string | readonly (PgColumn | string | readonly [PgColumn | string, number])[];

const MATCH_TYPES = new Set<MatchType>(['best_fields', 'most_fields', 'cross_fields', 'phrase', 'phrase_prefix']);
const OPTION_NAME = /^[a-z_]+$/;

/**
 * `MATCH(target, query) [USING type [WITH (options)]]`. The target is a column, the name of a full-text index
 * (`'title_ft'`), or a list of columns/indexes with optional boosts (`[[t.title, 2], t.body]`). Combine with `score()`
 * to rank. CrateDB allows MATCH only in WHERE, on one table.
 */
export function match(target: MatchTarget, query: string | SQLWrapper, options: { using?: MatchType; with?: MatchOptions } = {}): SQL<boolean> {
  const targets = Array.isArray(target) ? (target as readonly unknown[]) : [target];
  if (targets.length === 0) throw new CrateArgumentError('match(): give at least one column or index to search');
  const idents = targets.map((item) => {
    const [ref, boost] = Array.isArray(item) ? (item as [unknown, number]) : [item, undefined];
    if (boost !== undefined && !(typeof boost === 'number' && Number.isFinite(boost) && boost >= 0)) {
      throw new CrateArgumentError(`match(): boost must be a non-negative number, got ${String(boost)}`);
    }
    const refSql = typeof ref === 'string' ? sql.identifier(ref) : sql`${ref as SQLWrapper}`;
    return boost === undefined ? refSql : sql`${refSql} ${sql.raw(String(boost))}`;
  });
  const targetSql = idents.length === 1 && !Array.isArray(target) ? idents[0]! : sql`(${sql.join(idents, sql`, `)})`;

  let tail = sql``;
  if (options.using !== undefined || options.with !== undefined) {
    const using = options.using ?? 'best_fields';
    if (!MATCH_TYPES.has(using)) throw new CrateArgumentError(`match(): unknown match type '${String(using)}'`);
    tail = sql` using ${sql.raw(using)}`;
    const entries = Object.entries(options.with ?? {}).filter(([, value]) => value !== undefined);
    if (entries.length) {
      for (const [name] of entries) {
        if (!OPTION_NAME.test(name)) throw new CrateArgumentError(`match(): '${name}' is not a match option name`);
      }
      tail = sql`${tail} with (${sql.raw(entries.map(([name, value]) => `${name} = ${literal(value)}`).join(', '))})`;
    }
  }
  const querySql = is(query, SQL) ? query : sql`${query}`;
  return sql`match(${targetSql}, ${querySql})${tail}`;
}

/** `_score`: the relevance of a row to the MATCH (or `knnMatch`) in the WHERE clause. Selectable and orderable. */
export function score(table?: PgTable): SQL<number> {
  return (table ? sql`${table}._score` : sql`_score`).mapWith(Number);
}
