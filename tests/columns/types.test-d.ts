import { sql } from 'drizzle-orm';
import { describe, expectTypeOf, it } from 'vitest';
import {
  bigint,
  bit,
  boolean,
  crateTable,
  floatVector,
  geoPoint,
  geoShape,
  integer,
  numeric,
  object,
  objectArray,
  text,
  timestamp,
  varchar,
  type GeoJsonGeometry,
  type GeoPoint,
} from 'drizzle-cratedb';

const table = crateTable('t', {
  id: text().primaryKey().defaultRandom(),
  strict: object({ columns: { a: integer().notNull(), b: text(), withDefault: text().notNull().default('x') } }),
  dynamic: object(),
  dynamicTyped: object({ policy: 'dynamic', columns: { a: integer().notNull() } }),
  nested: object({ columns: { inner: object({ columns: { at: timestamp({ mode: 'string' }).notNull() } }).notNull() } }).notNull(),
  list: objectArray({ columns: { foo: text().notNull() } }),
  at: geoPoint().notNull(),
  area: geoShape(),
  embedding: floatVector({ dimensions: 3 }),
  created: timestamp().notNull().defaultNow(),
  createdText: timestamp({ mode: 'string' }),
  createdMs: timestamp({ mode: 'number' }),
  big: bigint({ mode: 'bigint' }),
  small: bigint(),
  price: numeric({ precision: 10, scale: 2, mode: 'string' }),
  bits: bit({ length: 4 }),
  tags: text().array(),
  matrix: integer().array('[][]'),
  generated: text().generatedAlwaysAs(sql`'x'`),
});

type Row = typeof table.$inferSelect;
type Insert = typeof table.$inferInsert;

describe('inferred types follow what CrateDB stores', () => {
  it('strict objects are typed from their sub-columns', () => {
    expectTypeOf<Row['strict']>().toEqualTypeOf<{ a: number; b?: string | null; withDefault?: string | null } | null>();
  });

  it('dynamic objects accept any key, declared ones typed', () => {
    expectTypeOf<Row['dynamic']>().toEqualTypeOf<{ [key: string]: unknown } | null>();
    expectTypeOf<NonNullable<Row['dynamicTyped']>['a']>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<Row['dynamicTyped']>>().toEqualTypeOf<{ [key: string]: unknown; a: number }>();
  });

  it('nested objects and object arrays', () => {
    expectTypeOf<Row['nested']['inner']['at']>().toEqualTypeOf<string>();
    expectTypeOf<Row['list']>().toEqualTypeOf<{ foo: string }[] | null>();
  });

  it('geo values, vectors, timestamps, bigints', () => {
    expectTypeOf<Row['at']>().toEqualTypeOf<GeoPoint>();
    expectTypeOf<Row['area']>().toEqualTypeOf<GeoJsonGeometry | null>();
    expectTypeOf<Row['embedding']>().toEqualTypeOf<number[] | null>();
    expectTypeOf<Row['created']>().toEqualTypeOf<Date>();
    expectTypeOf<Row['createdText']>().toEqualTypeOf<string | null>();
    expectTypeOf<Row['createdMs']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row['big']>().toEqualTypeOf<bigint | null>();
    expectTypeOf<Row['small']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row['price']>().toEqualTypeOf<string | null>();
    expectTypeOf<Row['bits']>().toEqualTypeOf<string | null>();
    expectTypeOf<Row['tags']>().toEqualTypeOf<string[] | null>();
    expectTypeOf<Row['matrix']>().toEqualTypeOf<number[][] | null>();
  });

  it('insert: server defaults optional, generated columns absent, required ones required', () => {
    expectTypeOf<Insert>().toHaveProperty('id').toEqualTypeOf<string | undefined>();
    expectTypeOf<Insert>().toHaveProperty('created').toEqualTypeOf<Date | undefined>();
    expectTypeOf<Insert>().not.toHaveProperty('generated');
    expectTypeOf<Insert['at']>().toEqualTypeOf<GeoPoint>();
    expectTypeOf<Insert['nested']>().toEqualTypeOf<{ inner: { at: string } }>();
  });

  it('builders refuse clauses their type cannot have', () => {
    // @ts-expect-error CrateDB cannot turn off the index of a geo point
    geoPoint().indexOff();
    // @ts-expect-error objects have no columnstore option
    object().columnstore(false);
    // @ts-expect-error only text can be full-text indexed
    integer().fulltext();
    // @ts-expect-error CrateDB only analyzes TEXT of unbounded length
    varchar({ length: 3 }).fulltext();
    text().fulltext().columnstore(false).indexOff();
    varchar({ length: 3 }).columnstore(false);
    floatVector({ dimensions: 2 }).indexOff();
    integer().columnstore(false);
    // Read from the type table's rows (src/columns/types.ts):
    // @ts-expect-error BOOLEAN has no columnstore option
    boolean().columnstore(false);
    // @ts-expect-error a geo shape's index cannot be turned off
    geoShape().indexOff();
    timestamp().columnstore(false).indexOff();
    bigint().indexOff().columnstore(false);
    numeric({ precision: 5 }).columnstore(false);
  });
});
