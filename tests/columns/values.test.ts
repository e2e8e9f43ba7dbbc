import { eq, getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  bigint,
  bit,
  crateTable,
  drizzle,
  floatVector,
  geoPoint,
  geoShape,
  numeric,
  object,
  objectArray,
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
