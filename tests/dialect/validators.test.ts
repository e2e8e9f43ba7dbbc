/**
 * drizzle-cratedb's validator factories give schemas as exact as the writes are: what a column's codec refuses before
 * sending, the schema refuses too, in each library and on both lines (`drizzle-cratedb/zod` ... wrap drizzle-zod,
 * drizzle-valibot, drizzle-typebox and drizzle-arktype on 0.45; `drizzle-cratedb/v1/zod` ... wrap drizzle-orm/zod and
 * friends on v1, which this suite imports under the 0.45 names when it runs on v1).
 */
import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  bigint,
  bit,
  byte,
  crateTable,
  doublePrecision,
  floatVector,
  geoPoint,
  geoShape,
  integer,
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
import * as arktype from 'drizzle-cratedb/arktype';
import * as typebox from 'drizzle-cratedb/typebox';
import * as valibot from 'drizzle-cratedb/valibot';
import * as zod from 'drizzle-cratedb/zod';
import { books, characters, cities } from '../fixtures/schemas.js';
import { currentLine } from '../support/lines.js';

// Drizzle v1 integrates typebox 1.x; drizzle-typebox (0.45) builds on @sinclair/typebox.
const typeboxCheck: (schema: unknown, value: unknown) => boolean =
  currentLine() === 'v1' ? (await import('typebox/value')).default.Check : (await import('@sinclair/typebox/value')).Value.Check;

const things = crateTable('things', {
  id: text().primaryKey(),
  count: integer(),
  small: smallint(),
  big: bigint({ mode: 'bigint' }),
  ratio: real(),
  precise: doublePrecision(),
  code: varchar({ length: 3 }),
  flags: bit({ length: 4 }),
  embedding: floatVector({ dimensions: 3 }),
  location: geoPoint(),
  area: geoShape(),
  price: numeric({ precision: 5, scale: 2 }),
  details: object({ columns: { size: integer(), label: text().notNull(), tags: text().array() } }),
  open: object({ policy: 'dynamic', columns: { size: integer() } }),
  ignored: object({ policy: 'ignored', columns: { size: integer() } }),
  loose: object(),
  visits: objectArray({ columns: { at: integer(), seen: timestamp({ mode: 'string' }) } }),
  scores: integer().array(),
  device: uuid(),
  level: byte(),
});

const valid = {
  id: 'a',
  count: 5,
  small: -300,
  big: 2n ** 40n,
  ratio: 1e10,
  precise: 0.5,
  code: 'abc',
  flags: '0101',
  embedding: [1, 2, 3],
  location: [9.74, 47.41] as [number, number],
  area: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
  price: 12.34,
  details: { size: 1, label: 'x', tags: ['a', null] },
  open: { size: 2, anything: { deep: true } },
  ignored: { size: 3, other: 'kept' },
  loose: { anything: [1, { deep: true }] },
  visits: [{ at: 1, seen: '2024-01-01T00:00:00' }, { at: null }],
  scores: [1, null, 3],
  device: '55d07626-4927-47c5-ba43-a015c23632ef',
  level: -128,
};

/** Each case changes one field of a valid row to a value CrateDB would refuse or store differently. */
const refused: [string, Partial<Record<keyof typeof valid, unknown>>][] = [
  ['a fraction in an INTEGER', { count: 1.5 }],
  ['an INTEGER of 2^40', { count: 2 ** 40 }],
  ['an INTEGER beyond 2^31 - 1', { count: 2 ** 31 }],
  ['a SMALLINT beyond 32767', { small: 32_768 }],
  ['a BIGINT beyond what CrateDB takes', { big: 2n ** 63n - 1n }],
  ['NaN in a REAL', { ratio: Number.NaN }],
  ['Infinity in a DOUBLE', { precise: Number.POSITIVE_INFINITY }],
  ['a VARCHAR(3) of 4 characters', { code: 'abcd' }],
  ['a BIT(4) with a 2', { flags: '0102' }],
  ['a vector of 2 for FLOAT_VECTOR(3)', { embedding: [1, 2] }],
  ['a vector of 4 for FLOAT_VECTOR(3)', { embedding: [1, 2, 3, 4] }],
  ['a vector with a string', { embedding: [1, 'a', 3] }],
  ['a longitude beyond 180', { location: [181, 0] }],
  ['a longitude below -180', { location: [-180.5, 0] }],
  ['a latitude beyond 90', { location: [0, 90.5] }],
  ['a latitude below -90', { location: [0, -91] }],
  ['a point of three numbers', { location: [1, 2, 3] }],
  ['a geometry CrateDB does not know', { area: { type: 'Circle', coordinates: [0, 0] } }],
  ['a geo shape that is a number', { area: 42 }],
  ['a NUMERIC(5, 2) with three decimals', { price: 1.234 }],
  ['a key a strict object does not declare', { details: { size: 1, label: 'x', extra: true } }],
  ['a required sub-column left out', { details: { size: 1 } }],
  ['a sub-column of the wrong type', { details: { size: 'big', label: 'x' } }],
  ['a fraction in an INTEGER sub-column', { details: { size: 1.5, label: 'x' } }],
  ['a number in a sub-column TEXT array', { details: { label: 'x', tags: ['a', 2] } }],
  ['a declared sub-column of a dynamic object with the wrong type', { open: { size: 'two' } }],
  ['a declared sub-column of an ignored object with the wrong type', { ignored: { size: 2 ** 40 } }],
  ['an array where an object goes', { loose: [1, 2] }],
  ['an undeclared key in an object array item', { visits: [{ at: 1, where: 'x' }] }],
  ['an object array item of the wrong sub-column type', { visits: [{ at: 'one' }] }],
  ['an object where an object array goes', { visits: { at: 1 } }],
  ['a fraction in an INTEGER array', { scores: [1, 2.5] }],
  ['a UUID CrateDB would read leniently', { device: '1-2-3-4-5' }],
  ['a UUID with a group too long, which CrateDB would cut', { device: '155d07626-4927-47c5-ba43-a015c23632ef' }],
  ['a UUID without hyphens', { device: '55d07626492747c5ba43a015c23632ef' }],
  ['a BYTE beyond 127', { level: 128 }],
  ['a BYTE below -128', { level: -129 }],
];

const libraries = {
  zod: (table: typeof things, row: unknown) => zod.createInsertSchema(table).safeParse(row).success,
  valibot: (table: typeof things, row: unknown) => v.safeParse(valibot.createInsertSchema(table), row).success,
  typebox: (table: typeof things, row: unknown) => typeboxCheck(typebox.createInsertSchema(table), row),
  arktype: (table: typeof things, row: unknown) => !(arktype.createInsertSchema(table)(row) instanceof type.errors),
};

describe.each(Object.entries(libraries))(`drizzle-cratedb/%s on drizzle-orm ${currentLine()}`, (_library, insertAccepts) => {
  const accepts = (row: unknown) => insertAccepts(things, row);

  it('accepts a row CrateDB stores as given, with optional and nullable columns as drizzle has them', () => {
    expect(accepts(valid)).toBe(true);
    expect(accepts({ id: 'b' })).toBe(true);
    expect(accepts({ ...valid, count: null, details: null })).toBe(true);
    expect(accepts({ count: 1 })).toBe(false);
  });

  it('keeps what dynamic and ignored objects take: keys beyond the declared ones', () => {
    expect(accepts({ ...valid, open: { extra: 1 }, ignored: { extra: [1, 'x'] } })).toBe(true);
  });

  it.each(refused)('refuses %s', (_case, change) => {
    expect(accepts({ ...valid, ...change })).toBe(false);
  });

  it("on the fixtures' tables: cities' points and shapes, characters' objects, books' arrays", () => {
    const check = insertAccepts as (table: unknown, row: unknown) => boolean;
    expect(check(cities, { name: 'Vienna', coordinate: [16.37, 48.21], area: 'POLYGON ((16 48, 17 48, 17 49, 16 48))' })).toBe(true);
    expect(check(cities, { name: 'Nowhere', coordinate: [16.37, 98.21] })).toBe(false);
    expect(check(cities, { name: 'Nowhere', coordinate: [16.37] })).toBe(false);
    expect(check(cities, { name: 'Nowhere', area: 'CIRCLE (1 2)' })).toBe(false);
    expect(check(characters, { quote: 'Hi', details: { age: 42, nested: { any: true } }, moreDetails: [{ a: 1 }, { b: 'x' }] })).toBe(true);
    expect(check(characters, { quote: 'Hi', details: 'not an object' })).toBe(false);
    expect(check(characters, { quote: 'Hi', moreDetails: [1, 2] })).toBe(false);
    expect(check(books, { title: 'T', author: 'A', categories: ['sf', 'humour'], publicationDate: new Date('1979-10-12') })).toBe(true);
    expect(check(books, { title: 'T', author: 'A', categories: ['sf', 42] })).toBe(false);
  });
});

describe('the zod schemas beyond insert', () => {
  it('error messages say what CrateDB would do, naming the column', () => {
    const result = zod.createInsertSchema(things).safeParse({ ...valid, count: 2 ** 40 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/column "things"\."count": 1099511627776 is outside INTEGER's range -2147483648\.\.2147483647/);
  });

  it("a user's refinement still applies: a function gets the exact schema, a schema replaces it", () => {
    const refined = zod.createInsertSchema(things, { count: (schema: { max(n: number): unknown }) => schema.max(10) } as never);
    expect(refined.safeParse({ ...valid, count: 11 }).success).toBe(false);
    expect(refined.safeParse({ ...valid, count: 1.5 }).success).toBe(false);
    expect(refined.safeParse({ ...valid, count: 7 }).success).toBe(true);
  });

  it('select and update schemas follow drizzle: select requires every key, update none', () => {
    expect(zod.createSelectSchema(things).safeParse(valid).success).toBe(true);
    expect(zod.createSelectSchema(things).safeParse({ id: 'a' }).success).toBe(false);
    expect(zod.createUpdateSchema(things).safeParse({ location: [0, 0] }).success).toBe(true);
    expect(zod.createUpdateSchema(things).safeParse({ location: [0, 100] }).success).toBe(false);
    expect(zod.createUpdateSchema(things).safeParse({ embedding: [1, 2] }).success).toBe(false);
  });
});
