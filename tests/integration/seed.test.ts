/**
 * drizzle-cratedb/seed on a real CrateDB, on both lines (drizzle-seed 0.3 on 0.45, drizzle-seed 1.x on v1): every
 * column type gets values its column accepts, the rows are inserted through the package's insert path and visible
 * at once, a user's generators win, and reset() empties the tables. The fixtures' tables live in a schema of their
 * own here (the connection's default), so runs never meet.
 */
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  bigint,
  bit,
  boolean,
  char,
  crateTable,
  createTables,
  doublePrecision,
  drizzle,
  dropTables,
  floatVector,
  geoPoint,
  geoShape,
  integer,
  ip,
  numeric,
  object,
  objectArray,
  real,
  smallint,
  text,
  timestamp,
  varchar,
  type CrateDB,
} from 'drizzle-cratedb';
import { reset, seed } from 'drizzle-cratedb/seed';
import { books, characters, cities } from '../fixtures/schemas.js';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';
import { currentLine } from '../support/lines.js';

describeCrate('drizzle-cratedb/seed on a real CrateDB', () => {
  const schemaName = uniqueName('seed');
  const things = crateTable('things', {
    id: integer().primaryKey(),
    name: varchar({ length: 12 }).notNull(),
    code: char({ length: 3 }),
    flag: boolean(),
    small: smallint(),
    big: bigint({ mode: 'bigint' }),
    ratio: real(),
    score: doublePrecision(),
    price: numeric({ precision: 6, scale: 2 }),
    at: timestamp({ withTimezone: true }),
    wall: timestamp({ mode: 'string' }),
    atMs: timestamp('at_ms', { mode: 'number' }),
    address: ip(),
    bits: bit({ length: 4 }),
    tags: text().array(),
    matrix: integer().array('[][]'),
    details: object({
      columns: {
        size: smallint().notNull(),
        label: text(),
        born: timestamp({ withTimezone: true }),
        inner: object({ policy: 'dynamic', columns: { zip: varchar({ length: 5 }).notNull() } }),
      },
    }),
    loose: object(),
    visits: objectArray({ columns: { place: text(), at: timestamp({ withTimezone: true }) } }),
    location: geoPoint(),
    area: geoShape(),
    embedding: floatVector({ dimensions: 5 }),
    upperName: text('upper_name').generatedAlwaysAs(sql`upper(name)`),
  });
  const schema = { things, characters, cities, books };
  const tables = Object.values(schema);
  let db: CrateDB;

  beforeAll(async () => {
    db = drizzle({ client: testClient({ schema: schemaName }) });
    await createTables(db, tables);
  });
  afterAll(async () => {
    await dropTables(db, tables);
    await db.$client.close();
  });

  const rowCount = async (table: (typeof tables)[number]) => (await db.select({ n: count() }).from(table as typeof things))[0]!.n;

  it('seeds every column type, and the rows are visible at once', async () => {
    if (currentLine() === 'v1') {
      // drizzle-seed 1.x takes no generator for an array of arrays: refused before anything is sent, naming the
      // column and the way out, which leaves it NULL.
      await expect(seed(db, schema, { count: 30, seed: 7 })).rejects.toThrow(/"things"\."matrix", an array of 2 dimensions; .*matrix: false/);
      expect(await rowCount(things)).toBe(0);
      // (`false` is drizzle-seed 1.x's; the file is type-checked against 0.3's types too.)
      await seed(db, schema, { count: 30, seed: 7 }).refine(() => ({ things: { columns: { matrix: false as never } } }));
    } else {
      await seed(db, schema, { count: 30, seed: 7 });
    }
    for (const table of tables) expect(await rowCount(table)).toBe(30);

    const rows = await db.select().from(things);
    expect(new Set(rows.map((row) => row.id)).size).toBe(30);
    for (const row of rows) {
      expect(Number.isInteger(row.id)).toBe(true);
      expect(row.name.length).toBeLessThanOrEqual(12);
      expect(row.code).toHaveLength(3);
      expect(typeof row.flag).toBe('boolean');
      expect(Math.abs(row.small!)).toBeLessThanOrEqual(32_767);
      expect(typeof row.big).toBe('bigint');
      expect(row.price! * 100).toBeCloseTo(Math.round(row.price! * 100), 6);
      expect(row.at).toBeInstanceOf(Date);
      expect(row.wall).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      expect(typeof row.atMs).toBe('number');
      expect(row.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(row.bits).toMatch(/^[01]{4}$/);
      expect(row.tags!.length).toBeGreaterThan(0);
      expect(row.tags!.every((tag) => typeof tag === 'string')).toBe(true);
      if (currentLine() === 'v1') expect(row.matrix).toBeNull();
      else expect(row.matrix!.every((inner) => Array.isArray(inner) && inner!.every((n) => Number.isInteger(n)))).toBe(true);
      // A strict object: exactly its declared sub-columns, each of its type; the dynamic one inside has its zip.
      expect(Object.keys(row.details!).sort()).toEqual(['born', 'inner', 'label', 'size']);
      expect(Number.isInteger(row.details!.size)).toBe(true);
      expect(typeof row.details!.label).toBe('string');
      expect(row.details!.born).toBeInstanceOf(Date);
      expect(row.details!.inner!.zip.length).toBeLessThanOrEqual(5);
      expect(Object.keys(row.loose!).length).toBeGreaterThan(0);
      expect(row.visits!.length).toBeGreaterThan(0);
      for (const visit of row.visits!) expect(Object.keys(visit).sort()).toEqual(['at', 'place']);
      const [lon, lat] = row.location!;
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect((row.area as { type: string }).type).toBe('Polygon');
      expect(row.embedding).toHaveLength(5);
      // CrateDB computed the generated column from the seeded name.
      expect(row.upperName).toBe(row.name.toUpperCase());
    }

    const characterRows = await db.select().from(characters);
    for (const row of characterRows) {
      expect(typeof row.quote).toBe('string');
      expect(row.nameNormalized).toBe(row.name!.toLowerCase());
      expect(typeof row.details).toBe('object');
    }
    const cityRows = await db.select().from(cities);
    expect(new Set(cityRows.map((row) => row.name)).size).toBe(30);
    expect(cityRows.every((row) => row.coordinate!.length === 2)).toBe(true);
  });

  it("the same seed gives the same values, and a user's generators win, column by column", async () => {
    await reset(db, schema);
    await seed(db, { cities }, { count: 5, seed: 7 });
    const first = (await db.select().from(cities)).sort((a, b) => a.name.localeCompare(b.name));
    await reset(db, { cities });
    await seed(db, { cities }, { count: 5, seed: 7 });
    const second = (await db.select().from(cities)).sort((a, b) => a.name.localeCompare(b.name));
    expect(second).toEqual(first);

    await reset(db, { cities });
    await seed(db, { cities, books }, { seed: 3 }).refine((f) => ({
      cities: { count: 3, columns: { name: f.valuesFromArray({ values: ['Berlin', 'Dornbirn', 'Vienna'], isUnique: true }) } },
      books: { count: 4 },
    }));
    const names = (await db.select().from(cities)).map((row) => row.name).sort();
    expect(names).toEqual(['Berlin', 'Dornbirn', 'Vienna']);
    // books had 30 rows from the first test, reset emptied them, and 4 were added.
    expect(await rowCount(books)).toBe(4);
  });

  it('reset() deletes every row of the tables it is given, and they are empty at once', async () => {
    await reset(db, schema);
    for (const table of tables) expect(await rowCount(table)).toBe(0);
  });
});
