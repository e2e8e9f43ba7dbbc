/**
 * Every column type and table option on a real CrateDB: the table is created from the builders, SHOW CREATE TABLE is
 * compared with what was asked for, and each type is written and read back.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  bigint,
  bit,
  boolean,
  char,
  check,
  clusteredBy,
  crateSchema,
  crateTable,
  createTables,
  doublePrecision,
  drizzle,
  dropTables,
  floatVector,
  fulltextIndex,
  geoPoint,
  geoShape,
  integer,
  ip,
  numeric,
  object,
  objectArray,
  partitionedBy,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  varchar,
  withOptions,
  type CrateDB,
  crateErrorOf,
} from 'drizzle-cratedb';
import { books, characters, cities } from '../fixtures/schemas.js';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';

describeCrate('column types and table options on a real CrateDB', () => {
  const everything = crateTable(
    uniqueName('everything'),
    {
      id: text().primaryKey().defaultRandom(),
      name: varchar({ length: 20 }).notNull(),
      code: char({ length: 3 }),
      flag: boolean(),
      small: smallint(),
      count: integer().check('count_positive', sql`"count" >= 0`),
      big: bigint({ mode: 'bigint' }),
      ratio: real(),
      score: doublePrecision().columnstore(false),
      price: numeric({ precision: 10, scale: 2 }),
      at: timestamp({ withTimezone: true }),
      wall: timestamp(),
      atText: timestamp('at_text', { withTimezone: true, mode: 'string' }),
      atMs: timestamp('at_ms', { mode: 'number' }),
      created: timestamp({ withTimezone: true }).defaultNow(),
      address: ip(),
      bits: bit({ length: 4 }),
      tags: text().array(),
      matrix: integer().array('[][]'),
      body: text().fulltext({ analyzer: 'english' }),
      note: text().indexOff(),
      details: object({
        columns: {
          gender: text(),
          born: timestamp({ withTimezone: true }),
          address: object({ policy: 'dynamic', columns: { zip: text().notNull() } }),
        },
      }),
      loose: object(),
      visits: objectArray({ columns: { place: text(), at: timestamp({ withTimezone: true }) } }),
      location: geoPoint(),
      area: geoShape({ index: 'quadtree', precision: '1m' }),
      embedding: floatVector({ dimensions: 3 }),
      upperName: text('upper_name').generatedAlwaysAs(sql`upper(name)`),
    },
    (t) => [fulltextIndex('name_ft').on(t.note, t.body).with({ analyzer: 'english' }), clusteredBy({ column: t.id, shards: 2 }), withOptions({ number_of_replicas: '0', refresh_interval: 500, 'translog.durability': 'async' })],
  );
  const partitioned = crateSchema(uniqueName('metrics')).table(
    'readings',
    { tenant: text().notNull(), day: timestamp({ withTimezone: true }).notNull(), value: doublePrecision() },
    (t) => [primaryKey({ columns: [t.tenant, t.day] }), partitionedBy(t.day), check('value_sane', sql`value < 1e9`), withOptions({ number_of_replicas: 0 })],
  );
  const tables = [everything, partitioned, characters, cities, books];
  let db: CrateDB;

  beforeAll(async () => {
    db = drizzle({ client: testClient() });
    await dropTables(db, tables);
    await createTables(db, tables);
  });
  afterAll(async () => {
    await dropTables(db, tables);
    await db.$client.close();
  });

  async function showCreate(qualified: string): Promise<string> {
    const result = await db.execute<{ stmt: string }>(sql.raw(`SHOW CREATE TABLE ${qualified}`));
    const text = Object.values(result.rows[0]!)[0] as string;
    // One line, single spaces, no padding inside parentheses: comparable with what we wrote.
    return text.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  }

  it('SHOW CREATE TABLE reports what the builders asked for', async () => {
    const shown = await showCreate(`"${everything[Symbol.for('drizzle:Name') as never]}"`);
    for (const fragment of [
      '"id" TEXT DEFAULT gen_random_text_uuid() NOT NULL',
      '"name" VARCHAR(20) NOT NULL',
      '"code" CHARACTER(3)',
      '"score" DOUBLE PRECISION STORAGE WITH (columnstore = false)',
      '"price" NUMERIC(10, 2)',
      '"at" TIMESTAMP WITH TIME ZONE',
      '"wall" TIMESTAMP WITHOUT TIME ZONE',
      '"address" IP',
      '"bits" BIT(4)',
      '"tags" ARRAY(TEXT)',
      '"matrix" ARRAY(ARRAY(INTEGER))',
      `"body" TEXT INDEX USING FULLTEXT WITH (analyzer = 'english')`,
      '"note" TEXT INDEX OFF',
      '"details" OBJECT(STRICT) AS ("gender" TEXT, "born" TIMESTAMP WITH TIME ZONE, "address" OBJECT(DYNAMIC) AS ("zip" TEXT NOT NULL))',
      '"loose" OBJECT(DYNAMIC)',
      '"visits" ARRAY(OBJECT(STRICT) AS ("place" TEXT, "at" TIMESTAMP WITH TIME ZONE))',
      '"location" GEO_POINT',
      `"area" GEO_SHAPE INDEX USING QUADTREE WITH (precision = '1m')`,
      '"embedding" FLOAT_VECTOR(3)',
      '"upper_name" TEXT GENERATED ALWAYS AS upper("name")',
      `INDEX "name_ft" USING FULLTEXT ("note", "body") WITH (analyzer = 'english')`,
      'PRIMARY KEY ("id")',
      'CONSTRAINT count_positive CHECK("count" >= 0)',
      'CLUSTERED BY ("id") INTO 2 SHARDS',
      "number_of_replicas = '0'",
      'refresh_interval = 500',
      `"translog.durability" = 'ASYNC'`,
    ]) {
      expect(shown, fragment).toContain(fragment);
    }
  });

  it('partitioned tables in their own schema, and the documentation tables', async () => {
    const schema = partitioned[Symbol.for('drizzle:Schema') as never] as string;
    const shown = await showCreate(`"${schema}"."readings"`);
    expect(shown).toContain('PRIMARY KEY ("tenant", "day")');
    expect(shown).toContain('PARTITIONED BY ("day")');
    expect(shown).toContain('CONSTRAINT value_sane CHECK');
    expect(await showCreate('"characters"')).toContain('"even_more_details" TEXT STORAGE WITH (columnstore = false)');
    // CrateDB routes by the primary key when no column is given, and says so.
    expect(await showCreate('"characters"')).toContain('CLUSTERED BY ("id") INTO 3 SHARDS');
    expect(await showCreate('"books"')).toContain(`"title" TEXT NOT NULL INDEX USING FULLTEXT WITH (analyzer = 'english')`);
  });

  it('writes and reads back every type', async () => {
    const at = new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123));
    const [row] = await db
      .insert(everything)
      .values({
        id: 'row-1',
        name: 'Arthur',
        code: 'ab',
        flag: true,
        small: -3,
        count: 42,
        big: 2n ** 60n + 7n,
        ratio: 0.5,
        score: 1.25,
        price: 12.34,
        at,
        wall: at,
        atText: '2024-02-29T12:30:45.123Z',
        atMs: at.getTime(),
        address: '192.168.0.1',
        bits: '1010',
        tags: ['a', 'b'],
        matrix: [[1, 2], [3]],
        body: 'The Hitchhiker’s Guide',
        note: 'not indexed',
        details: { gender: 'male', born: at, address: { zip: '1234', city: 'Cottington' } },
        loose: { anything: { nested: [1, 2] } },
        visits: [{ place: 'Earth', at }, { place: 'Magrathea' }],
        location: 'POINT (9.7417 47.4108)' as never, // WKT is accepted at run time; TypeScript asks for [lon, lat]
        area: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] },
        embedding: [0.25, 0.5, 0.75],
      })
      .returning();
    expect(row).toMatchObject({ id: 'row-1', upperName: 'ARTHUR', big: 2n ** 60n + 7n, created: expect.any(Date) });

    // A primary-key lookup sees the write without a refresh.
    const [read] = await db.select().from(everything).where(eq(everything.id, 'row-1'));
    expect(read).toEqual({
      ...row,
      code: 'ab ',
      bits: '1010',
    });
    expect(read!.at).toEqual(at);
    expect(read!.wall).toEqual(at);
    expect(read!.atText).toBe('2024-02-29T12:30:45.123Z');
    expect(read!.atMs).toBe(at.getTime());
    expect(read!.details).toEqual({ gender: 'male', born: at, address: { zip: '1234', city: 'Cottington' } });
    expect(read!.visits).toEqual([{ place: 'Earth', at }, { place: 'Magrathea' }]);
    expect(read!.location).toEqual([9.7417, 47.4108]);
    expect(read!.area).toMatchObject({ type: 'Polygon' });
    expect(read!.embedding).toEqual([0.25, 0.5, 0.75]);
    expect(read!.matrix).toEqual([[1, 2], [3]]);
    expect(read!.big).toBe(2n ** 60n + 7n);
  });

  it('accepts geo points in all three forms', async () => {
    await db.insert(cities).values([
      { name: 'A', coordinate: [139.76, 35.68] },
      { name: 'B', coordinate: { type: 'Point', coordinates: [139.76, 35.68] } as never },
      { name: 'C', coordinate: 'POINT (139.76 35.68)' as never },
    ]);
    await db.refresh(cities);
    const rows = await db.select({ name: cities.name, coordinate: cities.coordinate }).from(cities).orderBy(cities.name);
    expect(rows.map((row) => row.name)).toEqual(['A', 'B', 'C']);
    // CrateDB stores points in Lucene's encoding: they come back within about a centimetre.
    for (const { coordinate } of rows) {
      expect(coordinate![0]).toBeCloseTo(139.76, 6);
      expect(coordinate![1]).toBeCloseTo(35.68, 6);
    }
  });

  it('enforces the check constraint server-side', async () => {
    const error = await db.insert(everything).values({ id: 'neg', name: 'n', count: -1 }).then(() => null, (caught: unknown) => caught);
    expect(crateErrorOf(error)).toMatchObject({ serverCode: 4000, message: /count_positive/ });
  });
});
