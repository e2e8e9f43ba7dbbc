/**
 * Hybrid search: a knn_match ranking and a MATCH ranking of one table, fused in one statement, as CrateDB's guide
 * does it (one CTE per side, ranked with a window function, then joined), built with Drizzle's own query builder so
 * the result is a Drizzle query: awaitable, `toSQL()`-able, logged, its rows decoded by the table's columns.
 */
import { desc, eq, getTableColumns, Param, sql, type InferSelectModel, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { isCrateColumn } from '../column-model.js';
import { CrateArgumentError } from '../../shared/errors.js';
import { match, score, type MatchOptions, type MatchTarget, type MatchType } from './fulltext.js';
import { systemColumns } from './system.js';
import { knnMatch } from './vector.js';

/** The vector side: the `k` rows nearest to `query` by `column` (a `floatVector` column of the table). */
export interface HybridVectorSide {
  column: SQLWrapper;
  query: readonly number[];
  k: number;
}

/** The text side: `MATCH(target, query)`, as `match()` takes it; its best `limit` hits (default: the vector side's k). */
export interface HybridTextSide {
  target: MatchTarget;
  query: string;
  using?: MatchType;
  with?: MatchOptions;
  limit?: number;
}

/**
 * How the two rankings become one score:
 * - `rrf`: reciprocal rank fusion, sum over the sides a row is in of 1 / (rankConstant + rank); rankConstant 60 by default;
 * - `weighted`: vector * (similarity / best similarity) + text * (score / best score), each side's score normalised
 *   by the best of its hits so both lie in (0, 1]; the weights are non-negative and sum to 1.
 * A side a row is missing from adds 0.
 */
export type HybridFusion = { method: 'rrf'; rankConstant?: number } | { method: 'weighted'; vector: number; text: number };

export interface HybridSearchOptions {
  vector: HybridVectorSide;
  text: HybridTextSide;
  /** Reciprocal rank fusion with rank constant 60 when not given. */
  fusion?: HybridFusion;
  /**
   * Rows both sides keep. On the vector side it joins knn_match in WHERE, so, as in CrateDB, it filters each shard's k
   * nearest (fewer than k may remain); on the text side it filters the MATCH hits without changing their scores.
   */
  where?: SQL | undefined;
  /** How many fused rows to return; the vector side's k by default. */
  limit?: number;
}

/** A row of the table with its place on each side (null where the side did not find it) and the fused score. */
export interface HybridHit<TRow> {
  row: TRow;
  vectorRank: number | null;
  /** `vector_similarity` to the query vector. */
  vectorScore: number | null;
  textRank: number | null;
  /** MATCH's `_score`. */
  textScore: number | null;
  /** The fused score the rows are ordered by, highest first. */
  score: number;
}

/** The statement `hybridSearch()` builds: await it for the hits, or read its SQL. */
export interface HybridSearchQuery<TRow> extends PromiseLike<HybridHit<TRow>[]> {
  toSQL(): { sql: string; params: unknown[] };
}

/** The parts of either line's database that building the statement uses. */
interface QueryBuilders {
  $with(alias: string): { as(query: unknown): any };
  with(...ctes: unknown[]): { select(fields: Record<string, unknown>): any };
  select(fields: Record<string, unknown>): any;
}

const DEFAULT_RANK_CONSTANT = 60;

/**
 * `"cte"."column"`. Drizzle writes a CTE's aliased fields by their bare name, which is ambiguous when another relation
 * of the query (the table, or the other side) has a column of that name.
 */
type Cte = 'vector_hits' | 'vector_side' | 'text_hits' | 'text_side';

function ref(cte: Cte, column: string): SQL {
  return sql`${sql.identifier(cte)}.${sql.identifier(column)}`;
}

/**
 * One statement ranking `table`'s rows by a vector search and a full-text search together:
 *
 * ```ts
 * const hits = await hybridSearch(db, docs, {
 *   vector: { column: docs.embedding, query: [0.1, 0.2, 0.3], k: 10 },
 *   text: { target: docs.body, query: 'red apple' },
 *   where: eq(docs.lang, 'en'),
 * });
 * // [{ row: { id, body, ... }, vectorRank: 1, vectorScore: 0.98, textRank: 3, textScore: 1.2, score: 0.0323 }, ...]
 * ```
 *
 * Rows are matched across the sides by `_id`, so the table needs no particular primary key.
 */
export function hybridSearch<TTable extends PgTable>(db: object, table: TTable, options: HybridSearchOptions): HybridSearchQuery<InferSelectModel<TTable>> {
  const { vector, text } = options;
  const k = positiveInteger('vector.k', vector.k);
  const textLimit = positiveInteger('text.limit', text.limit ?? k);
  const limit = positiveInteger('limit', options.limit ?? k);
  checkVectorColumn(table, vector.column);
  const fusion = fusionOf(options.fusion);

  const qb = db as QueryBuilders;
  const id = systemColumns(table)._id;
  const matched = (cte: Cte, side: 'vector' | 'text', predicate: SQL) =>
    qb.$with(cte).as(qb.select({ hit: sql<string>`${id}`.as('hit'), score: score().as(`${side}_score`) }).from(table).where(predicate));
  const ranked = (cte: Cte, hits: Cte, hitsCte: unknown, side: 'vector' | 'text', limit: number) => {
    const hitScore = ref(hits, `${side}_score`);
    return qb.$with(cte).as(
      qb
        .select({
          hit: sql<string>`${ref(hits, 'hit')}`.as('hit'),
          score: sql<number>`${hitScore}`.as(`${side}_score`),
          best: sql<number>`max(${hitScore}) over ()`.as(`${side}_best`),
          rank: sql<number>`row_number() over (order by ${hitScore} desc, ${ref(hits, 'hit')})`.as(`${side}_rank`),
        })
        .from(hitsCte)
        .innerJoin(table, eq(id, ref(hits, 'hit')))
        .where(options.where)
        .orderBy(sql`${sql.identifier(`${side}_score`)} desc`, sql.identifier('hit'))
        .limit(limit),
    );
  };

  // Each side's predicate stands alone in its WHERE, so _score is its own: the kNN similarity, or MATCH's relevance.
  // The filter comes after, through a join with the table: beside the predicate it would add to _score, unevenly
  // for an OR (verified on 6.4.3). On the vector side this is what CrateDB does anyway: filters there apply to each
  // shard's k nearest. (vector_similarity with a parameter, ranked in a joined CTE, fails on 6.4.3 with "Can't
  // handle Symbol", so _score it is.)
  const vectorHits = matched('vector_hits', 'vector', knnMatch(vector.column, vector.query, k));
  const vectorSide = ranked('vector_side', 'vector_hits', vectorHits, 'vector', k);
  const textHits = matched('text_hits', 'text', match(text.target, text.query, { using: text.using, with: text.with }));
  const textSide = ranked('text_side', 'text_hits', textHits, 'text', textLimit);

  const fused =
    fusion.method === 'rrf'
      ? sql`coalesce(1.0 / (${new Param(fusion.rankConstant)} + ${ref('vector_side', 'vector_rank')}), 0) + coalesce(1.0 / (${new Param(fusion.rankConstant)} + ${ref('text_side', 'text_rank')}), 0)`
      : sql`coalesce(${new Param(fusion.vector)} * (${ref('vector_side', 'vector_score')} / ${ref('vector_side', 'vector_best')}), 0) + coalesce(${new Param(fusion.text)} * (${ref('text_side', 'text_score')} / ${ref('text_side', 'text_best')}), 0)`;

  return qb
    .with(vectorHits, vectorSide, textHits, textSide)
    .select({
      row: getTableColumns(table),
      vectorRank: sql<number | null>`${ref('vector_side', 'vector_rank')}`.mapWith(Number),
      vectorScore: sql<number | null>`${ref('vector_side', 'vector_score')}`.mapWith(Number),
      textRank: sql<number | null>`${ref('text_side', 'text_rank')}`.mapWith(Number),
      textScore: sql<number | null>`${ref('text_side', 'text_score')}`.mapWith(Number),
      score: sql<number>`${fused}`.mapWith(Number).as('fused_score'),
    })
    .from(vectorSide)
    .fullJoin(textSide, eq(ref('vector_side', 'hit'), ref('text_side', 'hit')))
    .innerJoin(table, eq(id, sql`coalesce(${ref('vector_side', 'hit')}, ${ref('text_side', 'hit')})`))
    .orderBy(desc(sql.identifier('fused_score')), id)
    .limit(limit) as HybridSearchQuery<InferSelectModel<TTable>>;
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new CrateArgumentError(`hybridSearch(): ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** The vector side must search a FLOAT_VECTOR column of this table: knn_match needs its index. */
function checkVectorColumn(table: PgTable, column: SQLWrapper): void {
  if (!isCrateColumn(column) || column.crate.spec.kind !== 'float_vector') {
    throw new CrateArgumentError('hybridSearch(): vector.column must be a floatVector() column of the table searched');
  }
  if ((column as { table?: unknown }).table !== table) {
    throw new CrateArgumentError(`hybridSearch(): vector.column "${column.name}" is not a column of the table searched`);
  }
}

function fusionOf(fusion: HybridFusion | undefined): { method: 'rrf'; rankConstant: number } | { method: 'weighted'; vector: number; text: number } {
  if (fusion === undefined) return { method: 'rrf', rankConstant: DEFAULT_RANK_CONSTANT };
  if (fusion.method === 'rrf') {
    const rankConstant = fusion.rankConstant ?? DEFAULT_RANK_CONSTANT;
    if (typeof rankConstant !== 'number' || !Number.isFinite(rankConstant) || rankConstant < 0) {
      throw new CrateArgumentError(`hybridSearch(): fusion.rankConstant must be a non-negative number, got ${String(rankConstant)}`);
    }
    return { method: 'rrf', rankConstant };
  }
  if (fusion.method === 'weighted') {
    for (const side of ['vector', 'text'] as const) {
      const weight = fusion[side];
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
        throw new CrateArgumentError(`hybridSearch(): fusion.${side} must be a weight from 0 to 1, got ${String(weight)}`);
      }
    }
    // A convex combination: weights that do not sum to 1 would only rescale the scores, or betray a typo.
    if (Math.abs(fusion.vector + fusion.text - 1) > 1e-9) {
      throw new CrateArgumentError(`hybridSearch(): fusion weights must sum to 1, got vector ${fusion.vector} + text ${fusion.text}`);
    }
    return { method: 'weighted', vector: fusion.vector, text: fusion.text };
  }
  throw new CrateArgumentError(`hybridSearch(): fusion.method must be 'rrf' or 'weighted', got ${String((fusion as { method?: unknown }).method)}`);
}
