import { desc, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CrateArgumentError, CrateValueError, crateTable, drizzle, floatVector, hybridSearch, integer, text, vectorSimilarity } from 'drizzle-cratedb';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';

const docs = crateTable('docs', {
  id: integer().primaryKey(),
  body: text().fulltext({ analyzer: 'english' }),
  lang: text(),
  embedding: floatVector({ dimensions: 3 }),
});
const other = crateTable('other', { id: integer().primaryKey(), embedding: floatVector({ dimensions: 3 }) });

const { client } = recordingClient();
const db = drizzle({ client });

const base = { vector: { column: docs.embedding, query: [1, 0, 0], k: 4 }, text: { target: docs.body, query: 'red apple' } } as const;

describe('vectorSimilarity', () => {
  it('selects and orders by vector_similarity, the vector as a parameter', () => {
    const similarity = vectorSimilarity(docs.embedding, [0.5, 0.25, 0]);
    const built = db.select({ id: docs.id, similarity }).from(docs).orderBy(desc(similarity)).limit(3).toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toBe(
      'select "id", vector_similarity("embedding", $1) from "docs" order by vector_similarity("docs"."embedding", $2) desc limit $3',
    );
    expect(built.params).toEqual([[0.5, 0.25, 0], [0.5, 0.25, 0], 3]);
  });

  it('refuses a vector of the wrong dimension or with a non-finite element, naming the column', () => {
    const error = (() => {
      try {
        vectorSimilarity(docs.embedding, [1, 2]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CrateValueError);
    expect((error as CrateValueError).code).toBe('CRATE_ERR_VALUE');
    expect((error as Error).message).toBe('column "docs"."embedding": expected 3 numbers, got 2 values');
    expect(() => vectorSimilarity(docs.embedding, [1, Number.NaN, 0])).toThrow(/element 1 is NaN/);
  });
});

describe('hybridSearch', () => {
  it('is one statement: each side ranked in its own CTEs, full outer joined, fused by RRF with constant 60', () => {
    const built = hybridSearch(db, docs, base).toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toBe(
      [
        'with "vector_hits" as (select "docs"."_id" as "hit", _score as "vector_score" from "docs" where knn_match("docs"."embedding", $1, $2)),',
        ' "vector_side" as (select "vector_hits"."hit" as "hit", "vector_hits"."vector_score" as "vector_score", max("vector_hits"."vector_score") over () as "vector_best",',
        ' row_number() over (order by "vector_hits"."vector_score" desc, "vector_hits"."hit") as "vector_rank"',
        ' from "vector_hits" inner join "docs" on "docs"."_id" = "vector_hits"."hit" order by "vector_score" desc, "hit" limit $3),',
        ' "text_hits" as (select "docs"."_id" as "hit", _score as "text_score" from "docs" where match("docs"."body", $4)),',
        ' "text_side" as (select "text_hits"."hit" as "hit", "text_hits"."text_score" as "text_score", max("text_hits"."text_score") over () as "text_best",',
        ' row_number() over (order by "text_hits"."text_score" desc, "text_hits"."hit") as "text_rank"',
        ' from "text_hits" inner join "docs" on "docs"."_id" = "text_hits"."hit" order by "text_score" desc, "hit" limit $5)',
        ' select "docs"."id", "docs"."body", "docs"."lang", "docs"."embedding", "vector_side"."vector_rank", "vector_side"."vector_score", "text_side"."text_rank", "text_side"."text_score",',
        ' coalesce(1.0 / ($6 + "vector_side"."vector_rank"), 0) + coalesce(1.0 / ($7 + "text_side"."text_rank"), 0) as "fused_score"',
        ' from "vector_side" full join "text_side" on "vector_side"."hit" = "text_side"."hit"',
        ' inner join "docs" on "docs"."_id" = coalesce("vector_side"."hit", "text_side"."hit") order by "fused_score" desc, "docs"."_id" limit $8',
      ].join(''),
    );
    // Every value is a parameter: the vector, k, the query, the text side's limit (k by default), the rank constant, the limit.
    expect(built.params).toEqual([[1, 0, 0], 4, 4, 'red apple', 4, 60, 60, 4]);
  });

  it('applies where after each side predicate, on both sides, and takes MATCH options, limits and a rank constant', () => {
    const built = hybridSearch(db, docs, {
      vector: { column: docs.embedding, query: [0, 1, 0], k: 5 },
      text: { target: [[docs.body, 2]], query: 'aple', using: 'best_fields', with: { fuzziness: 1 }, limit: 7 },
      fusion: { method: 'rrf', rankConstant: 10 },
      // Raw SQL, which both Drizzle lines render alike (v1 parenthesises or()'s operands).
      where: sql`${docs.lang} = ${'en'} or ${docs.id} = ${3}`,
      limit: 2,
    }).toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toContain('where knn_match("docs"."embedding", $1, $2)), ');
    expect(built.sql).toContain('inner join "docs" on "docs"."_id" = "vector_hits"."hit" where "docs"."lang" = $3 or "docs"."id" = $4 order by');
    expect(built.sql).toContain('where match(("docs"."body" 2), $6) using best_fields with (fuzziness = 1))');
    expect(built.sql).toContain('inner join "docs" on "docs"."_id" = "text_hits"."hit" where "docs"."lang" = $7 or "docs"."id" = $8 order by');
    expect(built.params).toEqual([[0, 1, 0], 5, 'en', 3, 5, 'aple', 'en', 3, 7, 10, 10, 2]);
  });

  it('fuses by a weighted sum of scores normalised by each side’s best', () => {
    const built = hybridSearch(db, docs, { ...base, fusion: { method: 'weighted', vector: 0.25, text: 0.75 } }).toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toContain(
      'coalesce($6 * ("vector_side"."vector_score" / "vector_side"."vector_best"), 0) + coalesce($7 * ("text_side"."text_score" / "text_side"."text_best"), 0) as "fused_score"',
    );
    expect(built.params.slice(5)).toEqual([0.25, 0.75, 4]);
  });

  it('searches a full-text index by name', () => {
    const built = hybridSearch(db, docs, { ...base, text: { target: 'body_ft', query: 'apple' } }).toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toContain('where match("body_ft", $4))');
  });

  it('refuses bad arguments before building, with CrateArgumentError', () => {
    const refused = (options: Parameters<typeof hybridSearch>[2], message: RegExp) => {
      let caught: unknown;
      try {
        hybridSearch(db, docs, options);
      } catch (error) {
        caught = error;
      }
      expect(caught, String(message)).toBeInstanceOf(CrateArgumentError);
      expect((caught as CrateArgumentError).code).toBe('CRATE_ERR_ARGUMENT');
      expect((caught as Error).message).toMatch(message);
    };
    for (const k of [0, -1, 1.5, Number.NaN]) refused({ ...base, vector: { ...base.vector, k } }, /vector\.k must be a positive integer/);
    refused({ ...base, text: { ...base.text, limit: 0 } }, /text\.limit must be a positive integer, got 0/);
    refused({ ...base, limit: 2.5 }, /limit must be a positive integer, got 2\.5/);
    refused({ ...base, vector: { ...base.vector, column: docs.body } }, /vector\.column must be a floatVector\(\) column/);
    refused({ ...base, vector: { ...base.vector, column: other.embedding } }, /vector\.column "embedding" is not a column of the table searched/);
    refused({ ...base, fusion: { method: 'rrf', rankConstant: -1 } }, /rankConstant must be a non-negative number, got -1/);
    refused({ ...base, fusion: { method: 'rrf', rankConstant: Number.POSITIVE_INFINITY } }, /rankConstant must be a non-negative number/);
    refused({ ...base, fusion: { method: 'weighted', vector: 0.5, text: 0.6 } }, /weights must sum to 1, got vector 0\.5 \+ text 0\.6/);
    refused({ ...base, fusion: { method: 'weighted', vector: 1.5, text: -0.5 } }, /fusion\.vector must be a weight from 0 to 1, got 1\.5/);
    refused({ ...base, fusion: { method: 'weighted', vector: Number.NaN, text: 1 } }, /fusion\.vector must be a weight from 0 to 1, got NaN/);
    refused({ ...base, fusion: { method: 'mean' } as never }, /fusion\.method must be 'rrf' or 'weighted', got mean/);
    refused({ ...base, text: { ...base.text, using: 'fuzzy' as never } }, /unknown match type 'fuzzy'/);
  });

  it('refuses a query vector of the wrong dimension with CrateValueError naming the column', () => {
    expect(() => hybridSearch(db, docs, { ...base, vector: { ...base.vector, query: [1, 0] } })).toThrow(CrateValueError);
    expect(() => hybridSearch(db, docs, { ...base, vector: { ...base.vector, query: [1, 0] } })).toThrow('column "docs"."embedding": expected 3 numbers, got 2 values');
  });
});
