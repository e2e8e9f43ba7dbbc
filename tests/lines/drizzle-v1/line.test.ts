/**
 * What Drizzle v1 changed under a driver, and no type error would report: value mappers must be instance fields (a
 * prototype method is shadowed by the base class's field and never called), and prepareQuery no longer receives the
 * selected fields, so row mapping goes through the dialect's mapper generators.
 */
import { compatibilityVersion } from 'drizzle-orm/version';
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bigint, bit, crateTable, drizzle, geoPoint, integer, numeric, object, text, timestamp } from 'drizzle-cratedb';
import { recordingClient } from '../../support/recording-client.js';

const t = crateTable('t', {
  id: text().primaryKey(),
  n: integer(),
  big: bigint({ mode: 'bigint' }),
  at: timestamp({ mode: 'string', withTimezone: true }),
  price: numeric({ precision: 9, scale: 2, mode: 'string' }),
  flags: bit({ length: 2 }),
  at2: timestamp({ mode: 'number' }).array(),
  where: geoPoint(),
  doc: object({ columns: { since: timestamp() } }),
});

describe('drizzle-cratedb/v1 on drizzle-orm 1.x', () => {
  it('runs on the v1 line', () => {
    expect(compatibilityVersion).toBeGreaterThanOrEqual(14);
  });

  it('columns that convert values do so through instance fields, and the others keep the noop drizzle skips', () => {
    const columns = getTableColumns(t) as Record<string, { mapFromDriverValue: { isNoop?: boolean }; mapToDriverValue: { isNoop?: boolean } }>;
    for (const key of ['big', 'at', 'price', 'flags', 'at2', 'doc']) {
      expect(Object.hasOwn(columns[key]!, 'mapFromDriverValue'), key).toBe(true);
      expect(columns[key]!.mapFromDriverValue.isNoop, key).toBeUndefined();
    }
    // Values pass unchanged on the way back: drizzle's mapper skips them.
    for (const key of ['id', 'n', 'where']) expect(columns[key]!.mapFromDriverValue.isNoop, key).toBe(true);
    // Every column that checks or converts values on the way out does it through an instance field.
    for (const key of ['n', 'big', 'at', 'price', 'flags', 'where', 'doc']) expect(Object.hasOwn(columns[key]!, 'mapToDriverValue'), key).toBe(true);
  });

  it('decodes every selected column, nested arrays and sub-columns included', async () => {
    const { client } = recordingClient(() => ({
      cols: [],
      rows: [['a', 1, 2n ** 60n, new Date(0), 12.5, "B'01'", [5, null], [1, 2], { since: 86_400_000 }]],
      rowCount: 1,
    }));
    const [row] = await drizzle({ client }).select().from(t);
    expect(row).toEqual({
      id: 'a',
      n: 1,
      big: 2n ** 60n,
      at: '1970-01-01T00:00:00.000Z',
      price: '12.5',
      flags: '01',
      at2: [5, null],
      where: [1, 2],
      doc: { since: new Date(86_400_000) },
    });
  });
});
