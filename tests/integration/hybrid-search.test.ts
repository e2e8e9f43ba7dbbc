/**
 * hybridSearch() on a real CrateDB: each side's ranking is asserted on its own (kNN against similarities computed
 * here, MATCH as the server scores it), then the fused order is computed by hand from those rankings and compared.
 */
import { desc, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusteredBy, crateTable, createTables, drizzle, dropTables, floatVector, hybridSearch, integer, knnMatch, match, score, text, vectorSimilarity, type CrateDB } from 'drizzle-cratedb';
import type { CrateClient } from '../../src/driver/index.js';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';

const corpus: { id: number; body: string; lang: string; embedding: number[] }[] = [
  { id: 1, body: 'red apple pie', lang: 'en', embedding: [1, 0, 0] },
  { id: 2, body: 'green apple', lang: 'de', embedding: [0.9, 0.1, 0] },
  { id: 3, body: 'apple apple apple', lang: 'en', embedding: [0, 1, 0] },
  { id: 4, body: 'banana bread', lang: 'de', embedding: [0.8, 0, 0.2] },
  { id: 5, body: 'red red wine', lang: 'en', embedding: [0, 0, 1] },
  { id: 6, body: 'apple juice', lang: 'de', embedding: [0.5, 0.5, 0] },
  { id: 7, body: 'cherry', lang: 'en', embedding: [0.7, 0.2, 0.1] },
  { id: 8, body: 'red car', lang: 'de', embedding: [0.2, 0.2, 0.6] },
];
const queryVector = [1, 0, 0];
const queryText = 'red apple';

/** CrateDB's vector_similarity: 1 / (1 + squared Euclidean distance). */
function similarity(a: readonly number[], b: readonly number[]): number {
  return 1 / (1 + a.reduce((sum, x, i) => sum + (x - b[i]!) ** 2, 0));
}

/** Ranks 1.. of ids by score, highest first; ties by id as text, as the statement breaks them (by _id). */
function ranking(scores: Map<number, number>, limit: number): Map<number, number> {
  const order = [...scores].sort(([a, x], [b, y]) => y - x || String(a).localeCompare(String(b))).slice(0, limit);
  return new Map(order.map(([id], i) => [id, i + 1]));
}

/** Fuses two rankings by hand and orders the ids, highest fused score first (ties by id as text). */
function fuse(vectorRanks: Map<number, number>, textRanks: Map<number, number>, part: (side: 'vector' | 'text', id: number) => number) {
  const ids = [...new Set([...vectorRanks.keys(), ...textRanks.keys()])];
  return ids
    .map((id) => ({ id, score: (vectorRanks.has(id) ? part('vector', id) : 0) + (textRanks.has(id) ? part('text', id) : 0) }))
    .sort((a, b) => b.score - a.score || String(a.id).localeCompare(String(b.id)));
}

describeCrate('hybrid search', () => {
  let client: CrateClient;
  let db: CrateDB;
  // Two shards: knn_match's k applies per shard, which the statement must turn into the k nearest overall.
  const docs = crateTable(
    uniqueName('hybrid_docs'),
    {
      id: integer().primaryKey(),
      body: text().fulltext({ analyzer: 'english' }),
      lang: text(),
      embedding: floatVector({ dimensions: 3 }),
    },
    () => [clusteredBy({ shards: 2 })],
  );

  beforeAll(async () => {
    client = testClient();
    db = drizzle({ client });
    await createTables(db, [docs]);
    await db.insert(docs).values(corpus);
    await db.refresh(docs);
  });
  afterAll(async () => {
    await dropTables(db, [docs]).catch(() => undefined);
    await client.close();
  });

  /** The server's MATCH scores, alone in the WHERE (as hybridSearch runs it), optionally for some ids only. */
  async function textScores(ids?: number[]): Promise<Map<number, number>> {
    const rows = await db.select({ id: docs.id, score: score() }).from(docs).where(match(docs.body, queryText)).orderBy(desc(score()));
    return new Map(rows.filter((row) => ids === undefined || ids.includes(row.id)).map((row) => [row.id, row.score]));
  }

  const similarities = new Map(corpus.map((doc) => [doc.id, similarity(doc.embedding, queryVector)]));

  it('vectorSimilarity and the kNN side agree with similarities computed by hand', async () => {
    const rows = await db
      .select({ id: docs.id, similarity: vectorSimilarity(docs.embedding, queryVector) })
      .from(docs)
      .orderBy(desc(vectorSimilarity(docs.embedding, queryVector)), docs.id);
    expect(rows.map((row) => row.id)).toEqual([...ranking(similarities, 8).keys()]);
    for (const row of rows) expect(row.similarity).toBeCloseTo(similarities.get(row.id)!, 6);

    // knn_match's _score is the similarity; by hand the 4 nearest are 1 (1), 2 (0.980), 4 (0.926), 7 (0.877).
    const knn = await db.select({ id: docs.id, score: score() }).from(docs).where(knnMatch(docs.embedding, queryVector, 4)).orderBy(desc(score())).limit(4);
    expect(knn.map((row) => row.id)).toEqual([1, 2, 4, 7]);
  });

  it('the MATCH side: the documents holding "red" or "apple", as the server scores them', async () => {
    const scores = await textScores();
    expect([...scores.keys()].sort()).toEqual([1, 2, 3, 5, 6, 8]);
    // "red apple pie" holds both words: whatever BM25's shard statistics, it scores above the one-word documents.
    expect([...ranking(scores, 8).keys()][0]).toBe(1);
  });

  it('fuses by reciprocal rank fusion (constant 60) as computed by hand from the two rankings', async () => {
    const vectorRanks = ranking(similarities, 4);
    const textScore = await textScores();
    const textRanks = ranking(textScore, 4);
    const expected = fuse(vectorRanks, textRanks, (side, id) => 1 / (60 + (side === 'vector' ? vectorRanks : textRanks).get(id)!));

    const hits = await hybridSearch(db, docs, {
      vector: { column: docs.embedding, query: queryVector, k: 4 },
      text: { target: docs.body, query: queryText },
      limit: 8,
    });
    expect(hits.map((hit) => hit.row.id)).toEqual(expected.map((hit) => hit.id));
    for (const [i, hit] of hits.entries()) {
      const id = hit.row.id;
      expect(hit.row).toEqual(corpus.find((doc) => doc.id === id));
      expect(hit.score).toBeCloseTo(expected[i]!.score, 12);
      expect(hit.vectorRank).toBe(vectorRanks.get(id) ?? null);
      expect(hit.textRank).toBe(textRanks.get(id) ?? null);
      if (hit.vectorScore === null) expect(vectorRanks.has(id)).toBe(false);
      else expect(hit.vectorScore).toBeCloseTo(similarities.get(id)!, 6);
      expect(hit.textScore).toBe(textRanks.has(id) ? textScore.get(id)! : null);
    }
    // Row 1 is first on both sides: 2 / 61.
    expect(hits[0]).toMatchObject({ row: { id: 1 }, vectorRank: 1, textRank: 1 });
    expect(hits[0]!.score).toBeCloseTo(2 / 61, 12);

    // A smaller rank constant and a limit.
    const top = await hybridSearch(db, docs, {
      vector: { column: docs.embedding, query: queryVector, k: 4 },
      text: { target: docs.body, query: queryText },
      fusion: { method: 'rrf', rankConstant: 1 },
      limit: 3,
    });
    const byHand = fuse(vectorRanks, textRanks, (side, id) => 1 / (1 + (side === 'vector' ? vectorRanks : textRanks).get(id)!));
    expect(top.map((hit) => [hit.row.id, hit.score])).toEqual(byHand.slice(0, 3).map((hit) => [hit.id, expect.closeTo(hit.score, 12)]));
  });

  it('fuses by a weighted sum of scores normalised by each side’s best, as computed by hand', async () => {
    const vectorRanks = ranking(similarities, 3);
    const textScore = await textScores();
    const textRanks = ranking(textScore, 3);
    const best = { vector: Math.max(...[...vectorRanks.keys()].map((id) => similarities.get(id)!)), text: Math.max(...[...textRanks.keys()].map((id) => textScore.get(id)!)) };
    const expected = fuse(vectorRanks, textRanks, (side, id) =>
      side === 'vector' ? 0.3 * (similarities.get(id)! / best.vector) : 0.7 * (textScore.get(id)! / best.text),
    );
    const hits = await hybridSearch(db, docs, {
      vector: { column: docs.embedding, query: queryVector, k: 3 },
      text: { target: docs.body, query: queryText, limit: 3 },
      fusion: { method: 'weighted', vector: 0.3, text: 0.7 },
      limit: 10,
    });
    expect(hits.map((hit) => hit.row.id)).toEqual(expected.map((hit) => hit.id));
    // REAL scores (float32) on the server: agreement to about 6 digits.
    for (const [i, hit] of hits.entries()) expect(hit.score).toBeCloseTo(expected[i]!.score, 5);
  });

  it('applies where on both sides without changing the scores, ranking only the rows it keeps', async () => {
    const kept = corpus.filter((doc) => doc.lang === 'en' || doc.id === 2).map((doc) => doc.id);
    // knn_match's k is per shard and filters apply to each shard's k nearest, in CrateDB as here: the candidates are
    // what knn_match alone returns, the kept ones are ranked by their similarity computed by hand.
    const candidates = await db.select({ id: docs.id }).from(docs).where(knnMatch(docs.embedding, queryVector, 2));
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const vectorRanks = ranking(new Map(candidates.map((row) => row.id).filter((id) => kept.includes(id)).map((id) => [id, similarities.get(id)!])), 2);
    // Row 1, the nearest of all, is always a candidate and kept.
    expect(vectorRanks.get(1)).toBe(1);
    const textScore = await textScores(kept);
    const textRanks = ranking(textScore, 8);
    expect([...textRanks.keys()].sort()).toEqual([1, 2, 3, 5]);
    const expected = fuse(vectorRanks, textRanks, (side, id) => 1 / (60 + (side === 'vector' ? vectorRanks : textRanks).get(id)!));

    const hits = await hybridSearch(db, docs, {
      vector: { column: docs.embedding, query: queryVector, k: 2 },
      text: { target: docs.body, query: queryText, limit: 8 },
      // An OR: beside MATCH it would add to _score unevenly; hybridSearch keeps it out of the scoring.
      where: sql`${docs.lang} = ${'en'} or ${inArray(docs.id, [2])}`,
      limit: 8,
    });
    expect(hits.map((hit) => hit.row.id)).toEqual(expected.map((hit) => hit.id));
    for (const [i, hit] of hits.entries()) {
      expect(hit.score).toBeCloseTo(expected[i]!.score, 12);
      expect(hit.vectorRank).toBe(vectorRanks.get(hit.row.id) ?? null);
      expect(hit.textRank).toBe(textRanks.get(hit.row.id) ?? null);
      expect(hit.textScore).toBe(textScore.get(hit.row.id) ?? null);
    }
  });
});

describe('hybrid search corpus', () => {
  it('the hand-computed similarities', () => {
    expect(similarity([1, 0, 0], [0.8, 0, 0.2])).toBeCloseTo(1 / 1.08, 12);
  });
});
