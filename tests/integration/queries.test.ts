/**
 * CrateDB's query features through drizzle-cratedb on a real server: object subscripts and partial updates, ANY over
 * arrays and object arrays, full-text ranking, geo distances and shapes, vector search, optimistic concurrency,
 * upserts, bulk writes with per-row outcomes, and inserts longer than statement_max_length.
 */
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  arrayAny,
  arrayContains,
  arrayLength,
  arrayOverlaps,
  crateTable,
  CrateDBError,
  crateErrorOf,
  createTables,
  distance,
  doublePrecision,
  drizzle,
  dropTables,
  excluded,
  floatVector,
  geoMatch,
  geoPoint,
  geoShape,
  integer,
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
  within,
  withOptions,
  type CrateDB,
} from 'drizzle-cratedb';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';

describeCrate('CrateDB query features on a real CrateDB', () => {
  const characters = crateTable(
    uniqueName('characters'),
    {
      id: text().primaryKey(),
      name: text().notNull(),
      quote: text().fulltext({ analyzer: 'english' }),
      details: object({ policy: 'dynamic', columns: { gender: text(), species: text(), since: timestamp({ withTimezone: true }) } }),
      moreDetails: objectArray('more_details', { columns: { foo: text(), n: integer() } }),
      tags: text().array(),
      home: geoPoint(),
      embedding: floatVector({ dimensions: 3 }),
      visits: integer().default(0),
    },
    () => [withOptions({ number_of_replicas: '0' })],
  );
  const areas = crateTable(uniqueName('areas'), { name: text().primaryKey(), shape: geoShape() }, () => [withOptions({ number_of_replicas: '0' })]);
  const events = crateTable(uniqueName('events'), { id: integer().primaryKey(), a: text(), b: text(), c: doublePrecision(), at: timestamp() }, () => [
    withOptions({ number_of_replicas: '0' }),
  ]);
  let db: CrateDB;

  beforeAll(async () => {
    db = drizzle({ client: testClient() });
    await createTables(db, [characters, areas, events]);
    await db.insert(characters).values([
      {
        id: 'arthur',
        name: 'Arthur Dent',
        quote: 'I think you ought to know I am feeling very depressed',
        details: { gender: 'male', species: 'human', since: new Date(Date.UTC(1979, 9, 12)) },
        moreDetails: [{ foo: 'towel', n: 1 }, { foo: 'tea', n: 2 }],
        tags: ['earthling', 'traveller'],
        home: [-0.1276, 51.5072],
        embedding: [1, 0, 0],
      },
      {
        id: 'trillian',
        name: 'Tricia McMillan',
        quote: "We're on a space ship Arthur. In space.",
        details: { gender: 'female', species: 'human' },
        moreDetails: [{ foo: 'mice', n: 3 }],
        tags: ['earthling', 'scientist'],
        home: [2.3522, 48.8566],
        embedding: [0, 1, 0],
      },
      {
        id: 'ford',
        name: 'Ford Prefect',
        quote: 'Time is an illusion. Lunchtime doubly so. Arthur, the towel!',
        details: { gender: 'male', species: 'betelgeusian' },
        moreDetails: [{ foo: 'towel', n: 4 }],
        tags: ['researcher'],
        home: [13.405, 52.52],
        embedding: [0.9, 0.1, 0],
      },
    ]);
    await db.insert(areas).values([
      { name: 'europe', shape: { type: 'Polygon', coordinates: [[[-10, 35], [30, 35], [30, 60], [-10, 60], [-10, 35]]] } },
      { name: 'pacific', shape: { type: 'Polygon', coordinates: [[[150, -10], [170, -10], [170, 10], [150, 10], [150, -10]]] } },
    ]);
    await db.refresh(characters, areas);
  });
  afterAll(async () => {
    await dropTables(db, [characters, areas, events]);
    await db.$client.close();
  });

  it('filters, groups and orders on object keys', async () => {
    const gender = objectKey(characters.details, 'gender');
    const rows = await db.select({ gender, n: count() }).from(characters).groupBy(gender).orderBy(gender);
    expect(rows).toEqual([
      { gender: 'female', n: 1 },
      { gender: 'male', n: 2 },
    ]);
    const males = await db.select({ name: characters.name }).from(characters).where(eq(gender, 'male')).orderBy(characters.name);
    expect(males.map((row) => row.name)).toEqual(['Arthur Dent', 'Ford Prefect']);
    const [since] = await db.select({ since: objectKey(characters.details, 'since') }).from(characters).where(eq(characters.id, 'arthur'));
    expect(since!.since).toEqual(new Date(Date.UTC(1979, 9, 12)));
  });

  it('patches one key of an object and leaves the others intact', async () => {
    await db.update(characters).set({ details: objectPatch({ gender: 'manly man', towel: { color: 'blue' } }) }).where(eq(characters.id, 'arthur'));
    const [row] = await db.select({ details: characters.details }).from(characters).where(eq(characters.id, 'arthur'));
    expect(row!.details).toEqual({
      gender: 'manly man',
      species: 'human',
      since: new Date(Date.UTC(1979, 9, 12)),
      towel: { color: 'blue' },
    });
  });

  it('ANY over arrays and over an object array key, and array containment', async () => {
    const names = async (condition: SQL) =>
      (await db.select({ id: characters.id }).from(characters).where(condition).orderBy(characters.id)).map((row) => row.id);
    expect(await names(arrayAny(characters.tags, 'earthling'))).toEqual(['arthur', 'trillian']);
    expect(await names(arrayAny(objectKey(characters.moreDetails, 'foo'), 'towel'))).toEqual(['arthur', 'ford']);
    // `3 < ANY(n)`: some element is greater than 3.
    expect(await names(arrayAny(objectKey(characters.moreDetails, 'n'), 3, '<'))).toEqual(['ford']);
    expect(await names(arrayContains(characters.tags, ['earthling', 'scientist']))).toEqual(['trillian']);
    expect(await names(arrayOverlaps(characters.tags, ['scientist', 'researcher']))).toEqual(['ford', 'trillian']);
    expect(await names(sql`${arrayLength(characters.tags)} = 1`)).toEqual(['ford']);
  });

  it('full-text search ranks by _score', async () => {
    const rows = await db
      .select({ id: characters.id, score: score() })
      .from(characters)
      .where(match(characters.quote, 'arthur towel'))
      .orderBy(desc(score()));
    expect(rows.map((row) => row.id)).toEqual(['ford', 'trillian']);
    expect(rows[0]!.score).toBeGreaterThan(rows[1]!.score);
    const phrase = await db.select({ id: characters.id }).from(characters).where(match(characters.quote, 'space ship', { using: 'phrase' }));
    expect(phrase.map((row) => row.id)).toEqual(['trillian']);
  });

  it('geo distances, within and indexed shape matches', async () => {
    const berlin = [13.405, 52.52] as [number, number];
    const rows = await db
      .select({ id: characters.id, meters: distance(characters.home, berlin) })
      .from(characters)
      .orderBy(distance(characters.home, berlin));
    expect(rows.map((row) => row.id)).toEqual(['ford', 'trillian', 'arthur']);
    expect(rows[0]!.meters).toBeLessThan(1);
    expect(rows[1]!.meters / 1000).toBeCloseTo(878, -1);
    const europe = await db.select({ id: characters.id }).from(characters).where(within(characters.home, 'POLYGON ((-10 35, 30 35, 30 60, -10 60, -10 35))'));
    expect(europe).toHaveLength(3);
    const containing = await db.select({ name: areas.name }).from(areas).where(geoMatch(areas.shape, 'POINT (13.405 52.52)', 'intersects'));
    expect(containing.map((row) => row.name)).toEqual(['europe']);
  });

  it('k-nearest-neighbour search on vectors, ranked by _score', async () => {
    const rows = await db
      .select({ id: characters.id, score: score() })
      .from(characters)
      .where(knnMatch(characters.embedding, [1, 0, 0], 2))
      .orderBy(desc(score()))
      .limit(2);
    expect(rows.map((row) => row.id)).toEqual(['arthur', 'ford']);
  });

  it('optimistic concurrency: the second writer with a stale version does not apply', async () => {
    const sys = systemColumns(characters);
    const [read] = await db.select({ seqNo: sys._seq_no, primaryTerm: sys._primary_term }).from(characters).where(eq(characters.id, 'ford'));
    const version = { seqNo: read!.seqNo, primaryTerm: read!.primaryTerm };
    const first = await db.updateIfUnchanged(characters, { set: { visits: 1 }, where: eq(characters.id, 'ford'), version });
    const second = await db.updateIfUnchanged(characters, { set: { visits: 2 }, where: eq(characters.id, 'ford'), version });
    expect(first).toEqual({ applied: true });
    expect(second).toEqual({ applied: false });
    const [row] = await db.select({ visits: characters.visits }).from(characters).where(eq(characters.id, 'ford'));
    expect(row!.visits).toBe(1);
  });

  it('upserts with excluded, returning _id; do nothing on conflict', async () => {
    const sys = systemColumns(characters);
    const [upserted] = await db
      .insert(characters)
      .values({ id: 'ford', name: 'Ford Prefect', visits: 10 })
      .onConflictDoUpdate({ target: characters.id, set: { visits: sql`${characters.visits} + ${excluded(characters.visits)}` } })
      .returning({ id: sys._id, visits: characters.visits });
    expect(upserted).toEqual({ id: 'ford', visits: 11 });
    const nothing = await db.insert(characters).values({ id: 'ford', name: 'x' }).onConflictDoNothing();
    expect(nothing.rowCount).toBe(0);
    const error = await db.insert(characters).values({ id: 'ford', name: 'x' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(crateErrorOf(error)).toBeInstanceOf(CrateDBError);
    expect((crateErrorOf(error) as CrateDBError).kind).toBe('duplicate-key');
  });

  it('bulk insert reports exactly the row that failed', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, a: `a${i}`, b: `b${i}`, c: i / 2, at: new Date(i * 1000) }));
    rows.push({ id: 17, a: 'duplicate', b: 'b', c: 0, at: new Date(0) });
    const progress: number[] = [];
    const result = await db.bulkInsert(events, rows, { chunkSize: 20, onProgress: (p) => progress.push(p.done) });
    expect(result.rowCount).toBe(50);
    expect(result.failed).toEqual([{ index: 50, error: { code: 4091, message: expect.stringContaining('DuplicateKeyException') } }]);
    expect(progress).toEqual([20, 40, 51]);
    await db.refresh(events);
    expect(await db.$count(events)).toBe(50);
  });

  it('a multi-row insert longer than statement_max_length is split and every row arrives', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ id: 1000 + i, a: `a${i}`, b: `b${i}`, c: i, at: new Date(i) }));
    const result = await db.insert(events).values(rows);
    expect(result.rowCount).toBe(12_000);
    await db.refresh(events);
    const [{ n }] = (await db.select({ n: count() }).from(events).where(sql`${events.id} >= 1000`)) as [{ n: number }];
    expect(n).toBe(12_000);
  });

  it('refreshAfterWrite makes a write visible to the next search', async () => {
    const refreshing = drizzle({ client: testClient(), refreshAfterWrite: true });
    await refreshing.insert(events).values({ id: 99_999, a: 'fresh' });
    const rows = await refreshing.select({ id: events.id }).from(events).where(and(eq(events.a, 'fresh')));
    expect(rows).toEqual([{ id: 99_999 }]);
    await refreshing.$client.close();
  });

});
