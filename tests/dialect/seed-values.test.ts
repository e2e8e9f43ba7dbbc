/**
 * The values drizzle-cratedb/seed draws from, without a database: every sampled value is one its column's codec
 * accepts (the check a write makes before sending), key columns get distinct values, the same seed gives the same
 * values, and what cannot be seeded is refused naming the table and column. Seeding against CrateDB itself is in
 * tests/integration/seed.test.ts.
 */
import { seed as drizzleSeed } from 'drizzle-seed';
import { pgTable, integer as pgInteger } from 'drizzle-orm/pg-core';
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  bigint,
  bit,
  boolean,
  byte,
  char,
  crateTable,
  doublePrecision,
  drizzle,
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
  uuid,
  varchar,
} from 'drizzle-cratedb';
import { seed } from 'drizzle-cratedb/seed';
import { CrateArgumentError } from '../../src/shared/errors.js';
import { valueProblem } from '../../src/columns/values.js';
import type { CrateColumnLike } from '../../src/dialect/column-model.js';
import { columnSampler, seededRandom } from '../../src/dialect/seed-values.js';
import { currentLine } from '../support/lines.js';

const things = crateTable('things', {
  id: integer().primaryKey(),
  name: varchar({ length: 4 }),
  code: char({ length: 2 }),
  flag: boolean(),
  small: smallint(),
  big: bigint({ mode: 'bigint' }),
  safe: bigint(),
  ratio: real(),
  score: doublePrecision(),
  price: numeric({ precision: 4, scale: 3 }),
  priceText: numeric({ precision: 12, scale: 2, mode: 'string' }),
  at: timestamp({ withTimezone: true }),
  wall: timestamp({ mode: 'string' }),
  atMs: timestamp({ mode: 'number' }),
  address: ip(),
  bits: bit({ length: 7 }),
  tags: text().array(),
  details: object({ columns: { size: smallint().notNull(), inner: object({ columns: { zip: varchar({ length: 5 }) } }), list: integer().array() } }),
  loose: object(),
  visits: objectArray({ columns: { at: timestamp() } }),
  location: geoPoint(),
  area: geoShape(),
  embedding: floatVector({ dimensions: 7 }),
  device: uuid(),
  level: byte(),
});

const columns = Object.entries(getTableColumns(things)) as unknown as [string, CrateColumnLike][];
const where = (name: string) => () => `column "things"."${name}"`;

describe('sample values for seeding', () => {
  it.each(columns)('every value for %s is one its column accepts', (key, column) => {
    const sampler = columnSampler(column, where(key));
    const random = seededRandom(42);
    const problem = valueProblem(column.crate.spec, where(key));
    for (let i = 0; i < 300; i++) {
      for (const unique of [false, true]) {
        const value = sampler(random, i, unique);
        expect(value, `${key} #${i}`).not.toBeNull();
        expect(problem(value), `${key} #${i}: ${String(value)}`).toBeUndefined();
      }
    }
  });

  it('vectors have their dimension, points lie on the globe, objects have their declared sub-columns', () => {
    const random = seededRandom(1);
    const sample = (key: keyof typeof things._.columns) => columnSampler(things[key] as unknown as CrateColumnLike, where(key))(random, 0, false);
    for (let i = 0; i < 100; i++) {
      expect(sample('embedding')).toHaveLength(7);
      const [lon, lat] = sample('location') as [number, number];
      expect(Math.abs(lon) <= 180 && Math.abs(lat) <= 90).toBe(true);
      const details = sample('details') as { size: number; inner: { zip: string }; list: number[] };
      expect(Object.keys(details).sort()).toEqual(['inner', 'list', 'size']);
      expect(details.inner.zip.length).toBeLessThanOrEqual(5);
      expect(Array.isArray(sample('visits'))).toBe(true);
      expect((sample('area') as { type: string }).type).toBe('Polygon');
    }
  });

  it('key columns get distinct values, even where the type is narrow', () => {
    for (const key of ['id', 'name', 'address', 'at', 'price', 'bits'] as const) {
      const sampler = columnSampler(things[key] as unknown as CrateColumnLike, where(key));
      const random = seededRandom(3);
      const values = Array.from({ length: 100 }, (_, i) => String(sampler(random, i, true)));
      expect(new Set(values).size, key).toBe(100);
    }
  });

  it('the same seed gives the same values', () => {
    const sampler = columnSampler(things.details as unknown as CrateColumnLike, where('details'));
    const run = (seedNumber: number) => {
      const random = seededRandom(seedNumber);
      return Array.from({ length: 20 }, (_, i) => sampler(random, i, false));
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('a type it has no values for is refused, naming the column', () => {
    const odd = { name: 'span', crate: { shape: { kind: 'scalar', typeName: 'INTERVAL', spec: { kind: 'text' } } } } as unknown as CrateColumnLike;
    expect(() => columnSampler(odd, where('span'))).toThrow(CrateArgumentError);
    expect(() => columnSampler(odd, where('span'))).toThrow(/column "things"\."span" of type INTERVAL; give it a generator in \.refine/);
  });
});

describe('seed() before anything is sent', () => {
  const db = drizzle('http://127.0.0.1:9');

  it('drizzle-seed alone stops at the first crateTable column: it knows only pg type names', async () => {
    await expect(drizzleSeed(db as never, { things } as never)).rejects.toThrow(/is not supported for now/);
  });

  it('refuses a table that is not a crateTable, naming its key', async () => {
    const other = pgTable('other', { id: pgInteger() });
    await expect(seed(db, { things, other })).rejects.toThrow(/schema entry "other" \(table "other"\) is not a crateTable/);
  });

  it("dry run (drizzle-seed 1.x): the rows it would insert, with this package's values, and nothing sent", async () => {
    const vectors = crateTable('vectors', { id: integer().primaryKey(), embedding: floatVector({ dimensions: 4 }), location: geoPoint() });
    // Typed loosely: drizzle-seed 0.3's types, which this file is also checked against, have no dryRun.
    const dryRun = (options?: { count: number; seed: number }) => (seed(db, { vectors }, options) as unknown as { dryRun(): PromiseLike<unknown> }).dryRun();
    if (currentLine() === '0.45') {
      expect(() => dryRun()).toThrow(/needs drizzle-seed 1\.x/);
      return;
    }
    const rows = (await dryRun({ count: 6, seed: 2 })) as { vectors: { id: number; embedding: number[]; location: number[] }[] };
    expect(rows.vectors).toHaveLength(6);
    expect(new Set(rows.vectors.map((row) => row.id)).size).toBe(6);
    for (const row of rows.vectors) {
      expect(row.embedding).toHaveLength(4);
      expect(Math.abs(row.location[0]!) <= 180 && Math.abs(row.location[1]!) <= 90).toBe(true);
    }
  });

  it('refuses a database that is not drizzle-cratedb\'s', async () => {
    await expect(seed({} as never, { things })).rejects.toThrow(/must be one made by drizzle-cratedb's drizzle\(\)/);
  });
});
