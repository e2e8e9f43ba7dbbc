/**
 * What drizzle-zod, drizzle-valibot and drizzle-typebox alone let through on drizzle-orm 0.45 (they map a CrateDB
 * column by its data type: `json`, `array`, `number`), and drizzle-cratedb's entries refuse. The checks of every
 * library on both lines are in tests/columns/validators.test.ts.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import * as drizzleTypebox from 'drizzle-typebox';
import * as drizzleValibot from 'drizzle-valibot';
import * as drizzleZod from 'drizzle-zod';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { crateTable, floatVector, geoPoint, integer, object, objectArray, text } from 'drizzle-cratedb';
import * as typebox from 'drizzle-cratedb/typebox';
import * as valibot from 'drizzle-cratedb/valibot';
import * as zod from 'drizzle-cratedb/zod';

const things = crateTable('things', {
  id: text().primaryKey(),
  count: integer(),
  embedding: floatVector({ dimensions: 3 }),
  location: geoPoint(),
  details: object({ columns: { size: integer(), label: text().notNull() } }),
  visits: objectArray({ columns: { at: integer() } }),
});

const valid = { id: 'a', count: 5, embedding: [1, 2, 3], location: [9.74, 47.41], details: { size: 1, label: 'x' }, visits: [{ at: 1 }] };

const cases: [string, Record<string, unknown>][] = [
  ['a fraction in an INTEGER', { count: 1.5 }],
  ['an INTEGER of 2^40', { count: 2 ** 40 }],
  ['a vector of 2 for FLOAT_VECTOR(3)', { embedding: [1, 2] }],
  ['a longitude beyond 180', { location: [181, 0] }],
  ['a sub-column of the wrong type', { details: { size: 'big', label: 'x' } }],
  ['a key a strict object does not declare', { details: { label: 'x', extra: true } }],
  ['an object array item of the wrong shape', { visits: [{ at: 'one', extra: 1 }] }],
];

const pairs = {
  zod: [(row: unknown) => drizzleZod.createInsertSchema(things).safeParse(row).success, (row: unknown) => zod.createInsertSchema(things).safeParse(row).success],
  valibot: [
    (row: unknown) => v.safeParse(drizzleValibot.createInsertSchema(things), row).success,
    (row: unknown) => v.safeParse(valibot.createInsertSchema(things), row).success,
  ],
  typebox: [
    // Typed loosely: drizzle-typebox's schema type of this table is deeper than TypeScript instantiates.
    (row: unknown) => Value.Check((drizzleTypebox.createInsertSchema as (table: unknown) => TSchema)(things), row),
    (row: unknown) => Value.Check((typebox.createInsertSchema as (table: unknown) => TSchema)(things), row),
  ],
} as const;

describe.each(Object.entries(pairs).map(([name, [alone, exact]]) => ({ name, alone, exact })))(
  'drizzle-$name alone and drizzle-cratedb/$name on drizzle-orm 0.45',
  ({ alone, exact }) => {
    it('both accept a valid row', () => {
      expect(alone(valid)).toBe(true);
      expect(exact(valid)).toBe(true);
    });

    it.each(cases)('%s: the package alone lets it through, drizzle-cratedb refuses it', (_case, change) => {
      expect(alone({ ...valid, ...change })).toBe(true);
      expect(exact({ ...valid, ...change })).toBe(false);
    });
  },
);
