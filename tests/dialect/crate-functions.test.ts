import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  arrayAll,
  arrayAny,
  arrayContained,
  arrayContains,
  arrayLength,
  arrayOverlaps,
  crateTable,
  distance,
  drizzle,
  excluded,
  floatVector,
  geoMatch,
  geoPoint,
  geoShape,
  integer,
  intersects,
  knnMatch,
  match,
  object,
  objectArray,
  objectKey,
  objectPatch,
  score,
  systemColumns,
  text,
  timestamp,
  unchangedSince,
  within,
} from 'drizzle-cratedb';
import { expectCrateSql } from '../support/grammar.js';
import { onLine } from '../support/lines.js';
import { recordingClient } from '../support/recording-client.js';

const characters = crateTable('characters', {
  id: text().primaryKey(),
  name: text().fulltext({ analyzer: 'english' }),
  quote: text(),
  details: object({
    policy: 'dynamic',
    columns: { gender: text(), age: integer(), born: timestamp({ mode: 'string' }), address: object({ columns: { zip: text() } }) },
  }),
  moreDetails: objectArray('more_details', { columns: { foo: text(), n: integer() } }),
  tags: text().array(),
  visits: integer().array(),
  location: geoPoint(),
  area: geoShape(),
  embedding: floatVector({ dimensions: 3 }),
});

const { client } = recordingClient();
const db = drizzle({ client });

function check(query: { toSQL(): { sql: string; params: unknown[] } }) {
  const built = query.toSQL();
  expectCrateSql(built.sql);
  return built;
}

describe('object subscripts', () => {
  it('objectKey in select, where, order by and group by', () => {
    const gender = objectKey(characters.details, 'gender');
    const built = check(
      db
        .select({ gender, zip: objectKey(characters.details, 'address', 'zip') })
        .from(characters)
        .where(eq(gender, 'male'))
        .groupBy(gender, objectKey(characters.details, 'address', 'zip'))
        .orderBy(asc(gender)),
    );
    expect(built.sql).toBe(
      `select "details"['gender'], "details"['address']['zip'] from "characters" where "characters"."details"['gender'] = $1 group by "characters"."details"['gender'], "characters"."details"['address']['zip'] order by "characters"."details"['gender'] asc`,
    );
    expect(built.params).toEqual(['male']);
  });

  it('escapes keys as literals: CrateDB takes no parameters inside subscripts', () => {
    const built = check(db.select({ v: objectKey(characters.details, "it's") }).from(characters));
    expect(built.sql).toBe(`select "details"['it''s'] from "characters"`);
  });

  it('objectPatch sets single keys, nested ones by nested subscripts', () => {
    const built = check(
      db
        .update(characters)
        .set({ details: objectPatch({ gender: 'female', address: { zip: '42' }, age: null }), quote: 'q' })
        .where(eq(characters.id, 'a')),
    );
    expect(built.sql).toBe(
      `update "characters" set "quote" = $1, "details"['gender'] = $2, "details"['address']['zip'] = $3, "details"['age'] = null where "characters"."id" = $4`,
    );
    expect(built.params).toEqual(['q', 'female', '42', 'a']);
  });

  it('objectPatch encodes values with the declared sub-column', () => {
    const built = check(db.update(characters).set({ details: objectPatch(characters.details, { born: '2020-01-01T00:00:00.000' }) }));
    expect(built.params).toEqual(['2020-01-01T00:00:00.000']);
  });

  it('a whole object still replaces the object', () => {
    const built = check(db.update(characters).set({ details: { gender: 'x' } }));
    expect(built.sql).toBe('update "characters" set "details" = $1');
  });

  it('objectPatch anywhere but update().set() is refused', () => {
    expect(() => db.insert(characters).values({ id: 'x', details: objectPatch({ a: 1 }) as never }).toSQL()).toThrow(/only works as a value in update\(\)\.set\(\)/);
    expect(() => db.update(characters).set({ moreDetails: objectPatch({ foo: 'x' }) as never }).toSQL()).toThrow(/object array "more_details"/);
  });
});

describe('arrays', () => {
  it.each([
    ['= ANY', arrayAny(characters.tags, 'sci-fi'), `$1 = ANY("characters"."tags")`],
    ['< ANY', arrayAny(characters.visits, 3, '<'), `$1 < ANY("characters"."visits")`],
    ['like ANY', arrayAny(characters.tags, 'sci-fi', 'like'), `$1 LIKE ANY("characters"."tags")`],
    ['not ilike ANY', arrayAny(characters.tags, 'x', 'not ilike'), `$1 NOT ILIKE ANY("characters"."tags")`],
    ['>= ALL', arrayAll(characters.visits, 3, '>='), `$1 >= ALL("characters"."visits")`],
    [
      'ANY over an object array key',
      arrayAny(objectKey(characters.moreDetails, 'foo'), 'bar'),
      `$1 = ANY("characters"."more_details"['foo'])`,
    ],
    ['array length', sql`${arrayLength(characters.tags)} > 2`, `array_length("characters"."tags", 1) > 2`],
    ['contains', arrayContains(characters.tags, ['a', 'b']), `coalesce(array_length(array_difference($1, "characters"."tags"), 1), 0) = 0`],
    ['contained', arrayContained(characters.tags, ['a', 'b']), `coalesce(array_length(array_difference("characters"."tags", $1), 1), 0) = 0`],
    ['overlaps', arrayOverlaps(characters.tags, ['a', 'b']), `array_overlap("characters"."tags", $1)`],
  ])('%s', (_name, condition, expected) => {
    const built = check(db.select({ id: characters.id }).from(characters).where(condition));
    expect(built.sql).toBe(`select "id" from "characters" where ${expected}`);
  });

  it('unknown operators are refused', () => {
    expect(() => arrayAny(characters.tags, 'x', '~' as never)).toThrow(/unknown operator '~'/);
  });
});

describe('full-text search', () => {
  it.each([
    ['a column', match(characters.name, 'arthur'), `match("characters"."name", $1)`],
    ['a named index', match('name_ft', 'arthur'), `match("name_ft", $1)`],
    ['columns with boosts', match([[characters.name, 2], characters.quote], 'arthur'), `match(("characters"."name" 2, "characters"."quote"), $1)`],
    [
      'a match type and options',
      match(characters.quote, 'end of the galaxy', { using: 'phrase', with: { analyzer: 'english', slop: 4 } }),
      `match("characters"."quote", $1) using phrase with (analyzer = 'english', slop = 4)`,
    ],
    [
      'options alone default to best_fields',
      match(characters.quote, 'galaxy', { with: { fuzziness: 'AUTO', operator: 'and' } }),
      `match("characters"."quote", $1) using best_fields with (fuzziness = 'AUTO', operator = 'and')`,
    ],
  ])('%s', (_name, condition, expected) => {
    const built = check(db.select({ id: characters.id, score: score() }).from(characters).where(condition).orderBy(desc(score())));
    expect(built.sql).toBe(`select "id", _score from "characters" where ${expected} order by _score desc`);
  });

  it('refuses unknown match types and option names', () => {
    expect(() => match(characters.name, 'x', { using: 'fuzzy' as never })).toThrow(/unknown match type/);
    expect(() => match(characters.name, 'x', { with: { 'x) or (1=1': 1 } as never })).toThrow(/not a match option/);
    expect(() => match([[characters.name, -1]], 'x')).toThrow(/boost/);
  });
});

describe('geo', () => {
  it.each([
    ['distance to a point', sql`${distance(characters.location, [9.74, 47.41])} < 1000`, `distance("characters"."location", $1) < 1000`, [[9.74, 47.41]]],
    ['distance to WKT', sql`${distance(characters.location, 'POINT (9.74 47.41)')} < 1000`, `distance("characters"."location", $1) < 1000`, [[9.74, 47.41]]],
    ['within a GeoJSON polygon', within(characters.location, { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }), `within("characters"."location", $1)`, undefined],
    ['intersects WKT', intersects(characters.area, 'LINESTRING (0 0, 1 1)'), `intersects("characters"."area", $1)`, ['LINESTRING (0 0, 1 1)']],
    ['geo match within', geoMatch(characters.area, 'POLYGON ((0 0, 1 0, 1 1, 0 0))', 'within'), `match("characters"."area", $1) using within`, undefined],
    ['geo match default', geoMatch(characters.area, 'POLYGON ((0 0, 1 0, 1 1, 0 0))'), `match("characters"."area", $1) using intersects`, undefined],
  ])('%s', (_name, condition, expected, params) => {
    const built = check(db.select({ id: characters.id }).from(characters).where(condition));
    expect(built.sql).toBe(`select "id" from "characters" where ${expected}`);
    if (params) expect(built.params).toEqual(params);
  });

  it('selects distances as numbers and checks operands before sending', () => {
    check(db.select({ meters: distance(characters.location, [0, 0]) }).from(characters).orderBy(distance(characters.location, [0, 0])));
    expect(() => distance(characters.location, [200, 0])).toThrow(/longitude 200/);
    expect(() => within(characters.location, 'CIRCLE (1 2)')).toThrow(/not a WKT geometry/);
  });
});

describe('vectors, system columns, upserts', () => {
  it('knn_match with the score', () => {
    const built = check(
      db.select({ id: characters.id, score: score() }).from(characters).where(knnMatch(characters.embedding, [0.1, 0.2, 0.3], 5)).orderBy(desc(score())).limit(5),
    );
    expect(built.sql).toBe(`select "id", _score from "characters" where knn_match("characters"."embedding", $1, $2) order by _score desc limit $3`);
    expect(built.params).toEqual([[0.1, 0.2, 0.3], 5, 5]);
    expect(() => knnMatch(characters.embedding, [1, 2], 5)).toThrow(/expected 3 numbers/);
  });

  it('system columns are selectable on any table', () => {
    const sys = systemColumns(characters);
    const built = check(db.select({ id: sys._id, seq: sys._seq_no, term: sys._primary_term }).from(characters));
    expect(built.sql).toBe(`select "characters"."_id", "characters"."_seq_no", "characters"."_primary_term" from "characters"`);
  });

  it('optimistic update condition', () => {
    const built = check(
      db.update(characters).set({ quote: 'x' }).where(and(eq(characters.id, 'a'), unchangedSince(characters, { seqNo: 3, primaryTerm: 1 }))),
    );
    expect(built.sql).toBe(
      onLine({
        '0.45': `update "characters" set "quote" = $1 where ("characters"."id" = $2 and ("characters"."_seq_no" = $3 and "characters"."_primary_term" = $4))`,
        // drizzle v1 parenthesises each operand of and().
        v1: `update "characters" set "quote" = $1 where (("characters"."id" = $2) and ((("characters"."_seq_no" = $3) and ("characters"."_primary_term" = $4))))`,
      }),
    );
    expect(built.params).toEqual(['x', 'a', 3, 1]);
  });

  it('ON CONFLICT DO UPDATE gets bare column names, as CrateDB requires there', () => {
    const built = check(
      db
        .insert(characters)
        .values({ id: 'a', visits: [1] })
        .onConflictDoUpdate({ target: characters.id, set: { visits: sql`array_cat(${characters.visits}, ${excluded(characters.visits)})` } }),
    );
    expect(built.sql).toBe(`insert into "characters" ("id", "visits") values ($1, $2) on conflict ("id") do update set "visits" = array_cat("visits", excluded."visits")`);
  });

  it('upsert with excluded and returning _id', () => {
    const built = check(
      db
        .insert(characters)
        .values({ id: 'a', quote: 'q' })
        .onConflictDoUpdate({ target: characters.id, set: { quote: excluded(characters.quote) } })
        .returning({ id: systemColumns(characters)._id, quote: characters.quote }),
    );
    expect(built.sql).toBe(
      `insert into "characters" ("id", "quote") values ($1, $2) on conflict ("id") do update set "quote" = excluded."quote" returning "characters"."_id", "quote"`,
    );
  });
});

describe('writes of any size', () => {
  const wide = crateTable('wide', {
    id: integer().primaryKey(),
    a: text(),
    b: text(),
    at: timestamp(),
  });

  it('splits a multi-row insert longer than statement_max_length and combines the results', async () => {
    const { client, calls } = recordingClient((call) => ({ rowCount: call.args.length / 4 }));
    const small = drizzle({ client, maxStatementLength: 2_000 });
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, a: `a${i}`, b: `b${i}`, at: new Date(i) }));
    const result = await small.insert(wide).values(rows);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      expect(call.stmt.length).toBeLessThanOrEqual(2_000);
      expectCrateSql(call.stmt);
    }
    expect(calls.flatMap((call) => call.args)).toEqual(rows.flatMap((row) => [row.id, row.a, row.b, row.at.getTime()]));
    expect(result.rowCount).toBe(300);
  });

  it('splits by measuring when rows hold sql expressions', async () => {
    const { client, calls } = recordingClient((call) => ({ rowCount: call.args.length / 2 }));
    const small = drizzle({ client, maxStatementLength: 2_000 });
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, a: sql`lower(${`A${i}`})` }));
    const result = await small.insert(wide).values(rows);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(call.stmt.length).toBeLessThanOrEqual(2_000);
    expect(calls.flatMap((call) => call.args)).toEqual(rows.flatMap((row) => [row.id, `A${row.id}`]));
    expect(result.rowCount).toBe(100);
  });

  it('a failure part-way says how many rows were written', async () => {
    let n = 0;
    const { client } = recordingClient((call) => {
      if (++n === 3) throw new Error('shard unavailable');
      return { rowCount: call.args.length / 4 };
    });
    const small = drizzle({ client, maxStatementLength: 2_000 });
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, a: 'a', b: 'b', at: new Date(i) }));
    await expect(small.insert(wide).values(rows)).rejects.toMatchObject({ name: 'PartialInsertError', insertedRows: expect.any(Number) });
  });

  it('bulkInsert sends one statement with bulk_args in chunks, with progress and per-row failures', async () => {
    const { client, calls } = recordingClient();
    Object.assign(client, {
      async bulk(stmt: string, bulkArgs: unknown[][]) {
        calls.push({ stmt, args: [], bulkArgs });
        return { results: bulkArgs.map((args) => (args[0] === 7 ? { rowCount: -2, error: { code: 4091, message: 'DuplicateKeyException[...]' } } : { rowCount: 1 })), duration: 1 };
      },
    });
    const bulkDb = drizzle({ client });
    const progress: unknown[] = [];
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: i, a: `a${i}`, at: new Date(i) }));
    const result = await bulkDb.bulkInsert(wide, rows, { chunkSize: 10, onProgress: (p) => progress.push(p) });
    expect(calls.map((call) => call.stmt)).toEqual(Array(3).fill('INSERT INTO "wide" ("id", "a", "at") VALUES ($1, $2, $3)'));
    expectCrateSql(calls[0]!.stmt);
    expect(calls.map((call) => call.bulkArgs!.length)).toEqual([10, 10, 5]);
    expect(calls[0]!.bulkArgs![1]).toEqual([1, 'a1', 1]);
    expect(result.rowCount).toBe(24);
    expect(result.failed).toEqual([{ index: 7, error: { code: 4091, message: 'DuplicateKeyException[...]' } }]);
    expect(result.results).toHaveLength(25);
    expect(progress).toEqual([
      { done: 10, total: 25, failed: 1 },
      { done: 20, total: 25, failed: 1 },
      { done: 25, total: 25, failed: 1 },
    ]);
  });

  it('bulkInsert refuses rows with different columns before sending anything', async () => {
    const { client, calls } = recordingClient();
    await expect(drizzle({ client }).bulkInsert(wide, [{ id: 1, a: 'x' }, { id: 2 }])).rejects.toThrow(/row 1 leaves out "a"/);
    expect(calls).toHaveLength(0);
  });

  it('refreshAfterWrite refreshes the written table', async () => {
    const { client, calls } = recordingClient();
    const refreshing = drizzle({ client, refreshAfterWrite: true });
    await refreshing.insert(wide).values({ id: 1 });
    await refreshing.select().from(wide);
    expect(calls.map((call) => call.stmt)).toEqual(['insert into "wide" ("id") values ($1)', 'REFRESH TABLE "wide"', 'select "id", "a", "b", "at" from "wide"']);
  });
});
