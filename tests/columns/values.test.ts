import { eq, getTableColumns, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  bigint,
  bit,
  crateTable,
  CrateValueError,
  doublePrecision,
  drizzle,
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
} from 'drizzle-cratedb';
import { recordingClient } from '../support/recording-client.js';

const places = crateTable('places', {
  id: text().primaryKey(),
  at: geoPoint(),
  area: geoShape(),
  embedding: floatVector({ dimensions: 3 }),
  seen: timestamp(),
  seenText: timestamp('seen_text', { mode: 'string' }),
  seenTz: timestamp('seen_tz', { mode: 'string', withTimezone: true }),
  seenMs: timestamp('seen_ms', { mode: 'number' }),
  big: bigint({ mode: 'bigint' }),
  small: bigint(),
  price: numeric({ precision: 20, scale: 2, mode: 'string' }),
  flags: bit({ length: 4 }),
  info: object({ columns: { since: timestamp().notNull(), renamed: text('db_name'), where: geoPoint() } }),
  visits: objectArray({ columns: { at: timestamp({ withTimezone: true }) } }),
  stamps: timestamp().array(),
});

/** The parameters pg-core would send for one inserted row. */
function sent(row: Partial<typeof places.$inferInsert>): Record<string, unknown> {
  const { client } = recordingClient();
  const query = drizzle({ client })
    .insert(places)
    .values({ id: 'p', ...row })
    .toSQL();
  const columns = [...query.sql.matchAll(/"(\w+)"/g)].map((match) => match[1]!).slice(1);
  return Object.fromEntries(columns.map((column, i) => [column, query.params[i]]));
}

describe('values sent to CrateDB', () => {
  it('geo points in all three forms become [lon, lat]', () => {
    expect(sent({ at: [9.74, 47.41] }).at).toEqual([9.74, 47.41]);
    expect(sent({ at: { type: 'Point', coordinates: [9.74, 47.41] } as never }).at).toEqual([9.74, 47.41]);
    expect(sent({ at: 'POINT (9.74 47.41)' as never }).at).toEqual([9.74, 47.41]);
  });

  it('out-of-range coordinates are refused before sending, naming the column', () => {
    expect(() => sent({ at: [181, 0] })).toThrow(/column "places"\."at": longitude 181 is outside \[-180, 180\]/);
    expect(() => sent({ at: [0, -91] })).toThrow(/latitude -91/);
    expect(() => sent({ at: 'POINT (1)' as never })).toThrow(/not WKT/);
  });

  it('geo shapes accept GeoJSON and WKT, and refuse anything else', () => {
    const polygon = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    expect(sent({ area: polygon }).area).toEqual(polygon);
    expect(sent({ area: 'POLYGON ((0 0, 1 0, 1 1, 0 0))' as never }).area).toBe('POLYGON ((0 0, 1 0, 1 1, 0 0))');
    expect(() => sent({ area: { type: 'Circle' } as never })).toThrow(/column "places"\."area": expected a GeoJSON geometry/);
  });

  it('vectors are length-checked', () => {
    expect(sent({ embedding: [1, 2, 3] }).embedding).toEqual([1, 2, 3]);
    expect(() => sent({ embedding: [1, 2] })).toThrow(/column "places"\."embedding": expected 3 numbers, got 2 values/);
    expect(() => sent({ embedding: [1, Number.NaN, 3] })).toThrow(/element 1 is NaN/);
  });

  it('timestamps go as epoch milliseconds or as given strings', () => {
    expect(sent({ seen: new Date(Date.UTC(2020, 0, 2)) }).seen).toBe(Date.UTC(2020, 0, 2));
    expect(sent({ seenText: '2020-01-02T03:04:05.000' }).seen_text).toBe('2020-01-02T03:04:05.000');
    expect(sent({ seenMs: 1000 }).seen_ms).toBe(1000);
    expect(() => sent({ seen: new Date(Number.NaN) })).toThrow(/invalid Date/);
  });

  it('bigints stay exact; unsafe numbers are refused', () => {
    expect(sent({ big: 2n ** 60n }).big).toBe(2n ** 60n);
    expect(() => sent({ small: 2 ** 60 })).toThrow(/not an exact integer/);
  });

  it('bit strings are checked', () => {
    expect(sent({ flags: '0101' }).flags).toBe('0101');
    expect(() => sent({ flags: '012' })).toThrow(/4 characters of 0 and 1/);
  });

  it('object sub-columns are encoded by their columns, and renamed to their database names', () => {
    const info = sent({ info: { since: new Date(5), renamed: 'x', where: 'POINT (1 2)' as never } }).info;
    expect(info).toEqual({ since: 5, db_name: 'x', where: [1, 2] });
    expect(sent({ visits: [{ at: new Date(7) }, { at: null }] }).visits).toEqual([{ at: 7 }, { at: null }]);
  });

  it('a key a strict object does not declare is refused before sending, naming the object and the key', () => {
    expect(() => sent({ info: { since: new Date(5), extra: true } as never })).toThrow(
      /column "places"\."info": 'extra' is not a declared sub-column of this OBJECT\(STRICT\) \(declared: since, renamed, where\)/,
    );
  });
});

describe('number columns take numbers, as TypeScript asks, even when a value typed any gets past it', () => {
  const counts = crateTable('counts', {
    id: text().primaryKey(),
    n: integer(),
    s: smallint(),
    b: bigint(),
    bb: bigint({ mode: 'bigint' }),
    r: real(),
    d: doublePrecision(),
    dec: numeric({ precision: 10, scale: 2 }),
    ns: integer().array(),
  });
  const db = () => drizzle({ client: recordingClient().client });
  const insert = (row: Record<string, unknown>) => db().insert(counts).values({ id: 'c', ...row } as never).toSQL();

  // CrateDB stores '12' in an INTEGER as 12 without a word and answers 'abc' with a 4000 invalid-sql naming neither
  // the column nor the value; 1.5 was already refused here, strings now are too.
  it.each([
    ['n', 'INTEGER', 'a number', 'Number()'],
    ['s', 'SMALLINT', 'a number', 'Number()'],
    ['b', 'BIGINT', 'a number or a bigint', 'Number() (or BigInt() beyond 2^53)'],
    ['bb', 'BIGINT', 'a number or a bigint', 'BigInt()'],
    ['r', 'REAL', 'a number', 'Number()'],
    ['d', 'DOUBLE PRECISION', 'a number', 'Number()'],
  ])('%s (%s): a string is refused before sending, naming the column and the value', (column, type, expected, convert) => {
    for (const value of ['abc', '12']) {
      const error = (() => {
        try {
          insert({ [column]: value });
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(CrateValueError);
      expect((error as CrateValueError).message).toBe(
        `column "counts"."${column}": ${type} takes ${expected}, got the string '${value}'; convert it with ${convert} before writing or comparing`,
      );
    }
  });

  it('so are booleans, dates and objects', () => {
    expect(() => insert({ n: true })).toThrow(/column "counts"\."n": INTEGER takes a number, got boolean/);
    expect(() => insert({ b: new Date(0) })).toThrow(/column "counts"\."b": BIGINT takes a number or a bigint, got Date/);
    expect(() => insert({ d: { v: 1 } })).toThrow(/column "counts"\."d": DOUBLE PRECISION takes a number, got object/);
    expect(() => insert({ dec: true })).toThrow(/column "counts"\."dec": expected a number, a bigint or a decimal string, got boolean/);
  });

  it('numbers and bigints still go as given; NUMERIC still takes decimal strings, as its string mode needs', () => {
    expect(insert({ n: 12, s: 3, b: 2 ** 40, bb: 2n ** 60n, r: 1.5, d: 2.5, dec: '12.34' }).params).toEqual(['c', 12, 3, 2 ** 40, 2n ** 60n, 1.5, 2.5, '12.34']);
    expect(insert({ n: 7n, d: 7n }).params).toEqual(['c', 7n, 7n]);
    expect(() => insert({ dec: 'abc' })).toThrow(/column "counts"\."dec": 'abc' is not a decimal number/);
  });

  it('holds wherever a value is bound to the column: update, where, a placeholder, an array element, bulkInsert', async () => {
    const where = /column "counts"\."n": INTEGER takes a number, got the string '12'/;
    expect(() => db().update(counts).set({ n: '12' as never }).where(eq(counts.id, 'c')).toSQL()).toThrow(where);
    expect(() => db().select().from(counts).where(eq(counts.n, '12' as never)).toSQL()).toThrow(where);
    const prepared = db().insert(counts).values({ id: 'c', n: sql.placeholder('n') }).prepare('insert_count');
    await expect(prepared.execute({ n: '12' })).rejects.toThrow(where);
    expect(() => insert({ ns: [1, '2'] })).toThrow(/column "counts"\."ns"\[1\]: INTEGER takes a number, got the string '2'/);
    await expect(db().bulkInsert(counts, [{ id: 'c', n: '12' as never }])).rejects.toThrow(where);
  });

  it('a string longer than 40 characters is cut in the message', () => {
    expect(() => insert({ n: 'x'.repeat(50) })).toThrow(`got the string '${'x'.repeat(40)}…'`);
  });
});

describe('values read from CrateDB', () => {
  /** Answers the select with `row` (by database column name; absent columns are null), in the table's order. */
  async function read(row: Record<string, unknown>) {
    const cols = Object.values(getTableColumns(places)).map((column) => column.name);
    const { client } = recordingClient(() => ({ cols, rows: [cols.map((col) => row[col] ?? null)], rowCount: 1 }));
    const [result] = await drizzle({ client }).select().from(places).where(eq(places.id, 'p'));
    return result!;
  }

  it('narrows timestamps to their mode; nested ones arrive as epoch milliseconds', async () => {
    const at = Date.UTC(2021, 5, 6, 7, 8, 9);
    const row = await read({
      id: 'p',
      seen: new Date(at),
      seen_text: new Date(at),
      seen_tz: new Date(at),
      seen_ms: new Date(at),
      info: { since: at, db_name: 'n', where: [1, 2] },
      visits: [{ at }],
      stamps: [new Date(at), null],
    });
    expect(row.seen).toEqual(new Date(at));
    expect(row.seenText).toBe('2021-06-06T07:08:09.000');
    expect(row.seenTz).toBe('2021-06-06T07:08:09.000Z');
    expect(row.seenMs).toBe(at);
    expect(row.info).toEqual({ since: new Date(at), renamed: 'n', where: [1, 2] });
    expect(row.visits).toEqual([{ at: new Date(at) }]);
    expect(row.stamps).toEqual([new Date(at), null]);
  });

  it('bigints: exact in bigint mode, a clear error rather than rounding in number mode', async () => {
    expect((await read({ id: 'p', big: 2n ** 60n, small: 12 })).big).toBe(2n ** 60n);
    expect((await read({ id: 'p', big: 12 })).big).toBe(12n);
    await expect(read({ id: 'p', small: 2n ** 60n })).rejects.toThrow(
      /column "places"\."small": 1152921504606846976 is beyond Number.MAX_SAFE_INTEGER.*mode: 'bigint'/,
    );
  });

  it('bit strings lose the B prefix, numerics in string mode are strings', async () => {
    const row = await read({ id: 'p', flags: "B'0101'", price: 12.5 });
    expect(row.flags).toBe('0101');
    expect(row.price).toBe('12.5');
  });
});
