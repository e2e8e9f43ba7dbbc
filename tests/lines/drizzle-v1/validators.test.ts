/**
 * What Drizzle v1's own drizzle-orm/zod lets through and drizzle-cratedb/v1/zod does not. The checks of every library
 * on both lines are in tests/columns/validators.test.ts.
 */
import * as drizzleZod from 'drizzle-orm/zod';
import { z } from 'zod/v4';
import { describe, expect, it } from 'vitest';
import { bigint, bit, crateTable, doublePrecision, floatVector, geoPoint, geoShape, integer, numeric, object, objectArray, real, text, varchar } from 'drizzle-cratedb';
import * as zod from 'drizzle-cratedb/v1/zod';

const things = crateTable('things', {
  id: text().primaryKey(),
  count: integer(),
  big: bigint({ mode: 'bigint' }),
  ratio: real(),
  precise: doublePrecision(),
  code: varchar({ length: 3 }),
  flags: bit({ length: 4 }),
  embedding: floatVector({ dimensions: 3 }),
  location: geoPoint(),
  area: geoShape(),
  price: numeric({ precision: 5, scale: 2 }),
  details: object({ columns: { size: integer(), label: text().notNull() } }),
  loose: object(),
  visits: objectArray({ columns: { at: integer() } }),
  scores: integer().array(),
});

const valid = {
  id: 'a',
  count: 5,
  big: 2n ** 40n,
  ratio: 1e10,
  precise: 0.5,
  code: 'abc',
  flags: '0101',
  embedding: [1, 2, 3],
  location: [9.74, 47.41] as [number, number],
  area: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
  price: 12.34,
  details: { size: 1, label: 'x' },
  loose: { anything: [1, { deep: true }] },
  visits: [{ at: 1 }, { at: null }],
  scores: [1, null, 3],
};

describe('what drizzle-orm/zod alone lets through, and drizzle-cratedb/v1/zod does not', () => {
  const alone = drizzleZod.createInsertSchema(things);
  const exact = zod.createInsertSchema(things);
  it.each([
    ['a longitude beyond 180', { location: [181, 0] }],
    ['a key a strict object does not declare', { details: { size: 1, label: 'x', extra: true } }],
    ['a NUMERIC(5, 2) with three decimals', { price: 1.234 }],
  ])('%s', (_case, change) => {
    // A REAL drizzle-orm/zod takes (it bounds REAL to ±2^23, as for pg's real), and no null array elements (which
    // CrateDB stores).
    const row = { ...valid, ratio: 0.5, scores: [1, 3], ...change };
    expect(alone.safeParse(row).success).toBe(true);
    expect(exact.safeParse(row).success).toBe(false);
  });

  it('and a REAL of 1e10 that drizzle-orm/zod refuses (it bounds REAL as pg-core does) is accepted', () => {
    expect(alone.safeParse(valid).success).toBe(false);
    expect(exact.safeParse(valid).success).toBe(true);
  });

  it('error messages say what CrateDB would do, naming the column', () => {
    const result = exact.safeParse({ ...valid, price: 1.234 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/column "things"\."price": 1\.234 has more than 2 decimal places; NUMERIC\(5, 2\) would round it/);
  });

  it("a user's refinement still applies: a function gets the exact schema, a schema replaces it", () => {
    const refined = zod.createInsertSchema(things, { count: (schema) => (schema as z.ZodNumber).max(10) });
    expect(refined.safeParse({ ...valid, count: 11 }).success).toBe(false);
    expect(refined.safeParse({ ...valid, count: 1.5 }).success).toBe(false);
    const replaced = zod.createInsertSchema(things, { count: z.string() });
    expect(replaced.safeParse({ ...valid, count: 'any' }).success).toBe(true);
  });

  it('select and update schemas follow drizzle: select requires every key, update none', () => {
    expect(zod.createSelectSchema(things).safeParse(valid).success).toBe(true);
    expect(zod.createSelectSchema(things).safeParse({ id: 'a' }).success).toBe(false);
    expect(zod.createUpdateSchema(things).safeParse({ location: [0, 0] }).success).toBe(true);
    expect(zod.createUpdateSchema(things).safeParse({ location: [0, 100] }).success).toBe(false);
  });
});
