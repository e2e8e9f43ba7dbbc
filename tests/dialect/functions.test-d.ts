import { describe, expectTypeOf, it } from 'vitest';
import type { SQL } from 'drizzle-orm';
import { crateTable, integer, object, objectArray, objectKey, objectPatch, text, timestamp, distance, score, arrayAny, geoPoint } from 'drizzle-cratedb';

const t = crateTable('t', {
  details: object({
    columns: {
      gender: text(),
      age: integer().notNull(),
      address: object({ columns: { zip: text().notNull(), since: timestamp({ mode: 'string' }) } }),
    },
  }),
  loose: object(),
  visits: objectArray({ columns: { place: text().notNull(), n: integer() } }),
  tags: text().array(),
  at: geoPoint(),
});

describe('objectKey is typed from the declared sub-columns', () => {
  it('follows the path', () => {
    expectTypeOf(objectKey(t.details, 'gender')).toEqualTypeOf<SQL<string | null>>();
    expectTypeOf(objectKey(t.details, 'age')).toEqualTypeOf<SQL<number | null>>();
    expectTypeOf(objectKey(t.details, 'address', 'zip')).toEqualTypeOf<SQL<string | null>>();
    expectTypeOf(objectKey(t.details, 'address', 'since')).toEqualTypeOf<SQL<string | null>>();
  });

  it('through an object array a key is the array of its values', () => {
    expectTypeOf(objectKey(t.visits, 'place')).toEqualTypeOf<SQL<string[] | null>>();
  });

  it('dynamic objects take any key', () => {
    expectTypeOf(objectKey(t.loose, 'anything')).toEqualTypeOf<SQL<unknown>>();
  });

  it('refuses keys that are not declared on strict objects', () => {
    // @ts-expect-error 'color' is not a sub-column of details
    objectKey(t.details, 'color');
    // @ts-expect-error 'city' is not a sub-column of details['address']
    objectKey(t.details, 'address', 'city');
  });
});

describe('objectPatch with a column checks the patch', () => {
  it('accepts partial, nested patches and nulls', () => {
    objectPatch(t.details, { gender: 'f' });
    objectPatch(t.details, { address: { zip: '1' }, gender: null });
  });

  it('refuses unknown keys and wrong types', () => {
    // @ts-expect-error 'color' is not a sub-column
    objectPatch(t.details, { color: 'red' });
    // @ts-expect-error age is a number
    objectPatch(t.details, { age: 'old' });
  });
});

describe('other helpers', () => {
  it('return typed expressions', () => {
    expectTypeOf(distance(t.at, [0, 0])).toEqualTypeOf<SQL<number>>();
    expectTypeOf(score()).toEqualTypeOf<SQL<number>>();
    expectTypeOf(arrayAny(t.tags, 'x')).toEqualTypeOf<SQL<boolean>>();
    // @ts-expect-error tags hold strings
    arrayAny(t.tags, 3);
  });
});
