/**
 * drizzle-cratedb/v1's validator factories give schemas as exact as the writes are: what a column's codec refuses
 * before sending, the schema refuses too, in each library Drizzle v1 integrates. Drizzle's own factories, which map
 * by data type only, are run beside them to show what they let through.
 */
import { type } from 'arktype';
import * as drizzleZod from 'drizzle-orm/zod';
import { z } from 'zod/v4';
import Value from 'typebox/value';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { bigint, bit, crateTable, doublePrecision, floatVector, geoPoint, geoShape, integer, numeric, object, objectArray, real, text, varchar } from 'drizzle-cratedb';
import * as arktype from 'drizzle-cratedb/v1/arktype';
import * as typebox from 'drizzle-cratedb/v1/typebox';
import * as valibot from 'drizzle-cratedb/v1/valibot';
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

/** Each case changes one field of a valid row to a value CrateDB would refuse or store differently. */
const refused: [string, Partial<Record<keyof typeof valid, unknown>>][] = [
  ['a fraction in an INTEGER', { count: 1.5 }],
  ['an INTEGER beyond 32 bits', { count: 2 ** 40 }],
  ['a BIGINT beyond what CrateDB takes', { big: 2n ** 63n - 1n }],
  ['NaN in a REAL', { ratio: Number.NaN }],
  ['Infinity in a DOUBLE', { precise: Number.POSITIVE_INFINITY }],
  ['a VARCHAR(3) of 4 characters', { code: 'abcd' }],
  ['a BIT(4) with a 2', { flags: '0102' }],
  ['a vector of 2 for FLOAT_VECTOR(3)', { embedding: [1, 2] }],
  ['a longitude beyond 180', { location: [181, 0] }],
  ['a latitude beyond 90', { location: [0, -91] }],
  ['a geometry CrateDB does not know', { area: { type: 'Circle', coordinates: [0, 0] } }],
  ['a NUMERIC(5, 2) with three decimals', { price: 1.234 }],
  ['a key a strict object does not declare', { details: { size: 1, label: 'x', extra: true } }],
  ['a required sub-column left out', { details: { size: 1 } }],
  ['a sub-column of the wrong type', { details: { size: 'big', label: 'x' } }],
  ['an undeclared key in an object array', { visits: [{ at: 1, where: 'x' }] }],
  ['a fraction in an INTEGER array', { scores: [1, 2.5] }],
];

const libraries = {
  zod: (row: unknown) => zod.createInsertSchema(things).safeParse(row).success,
  valibot: (row: unknown) => v.safeParse(valibot.createInsertSchema(things), row).success,
  typebox: (row: unknown) => Value.Check(typebox.createInsertSchema(things), row),
  arktype: (row: unknown) => !(arktype.createInsertSchema(things)(row) instanceof type.errors),
};

describe.each(Object.entries(libraries))('drizzle-cratedb/v1/%s', (_library, accepts) => {
  it('accepts a row CrateDB stores as given, with optional and nullable columns as drizzle has them', () => {
    expect(accepts(valid)).toBe(true);
    expect(accepts({ id: 'b' })).toBe(true);
    expect(accepts({ ...valid, count: null, details: null })).toBe(true);
    expect(accepts({ count: 1 })).toBe(false);
  });

  it.each(refused)('refuses %s', (_case, change) => {
    expect(accepts({ ...valid, ...change })).toBe(false);
  });
});

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
