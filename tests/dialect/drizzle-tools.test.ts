/**
 * Tools built on Drizzle read crateTables with drizzle-orm's own functions: getTableConfig() sees the primary key and
 * checks it knows, and none of CrateDB's options (on Drizzle v1 it throws on extras it does not know).
 */
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { check, clusteredBy, crateTable, fulltextIndex, integer, partitionedBy, primaryKey, text, timestamp, withOptions } from 'drizzle-cratedb';

const readings = crateTable(
  'readings',
  { tenant: text().notNull(), day: timestamp(), value: integer(), note: text() },
  (t) => [
    primaryKey({ columns: [t.tenant, t.day] }),
    check('value_sane', sql`${t.value} >= 0`),
    clusteredBy({ column: t.tenant, shards: 4 }),
    partitionedBy(t.day),
    withOptions({ number_of_replicas: '0-1' }),
    fulltextIndex('note_ft').on(t.note),
  ],
);

describe("drizzle-orm's getTableConfig on a crateTable", () => {
  it('returns the columns, the primary key and the checks, and leaves CrateDB options to drizzle-cratedb', () => {
    const config = getTableConfig(readings);
    expect(config.name).toBe('readings');
    expect(config.columns.map((column) => column.name)).toEqual(['tenant', 'day', 'value', 'note']);
    expect(config.primaryKeys.map((key) => key.columns.map((column) => column.name))).toEqual([['tenant', 'day']]);
    expect(config.checks.map((c) => c.name)).toEqual(['value_sane']);
    expect(config.indexes).toEqual([]);
    expect(config.foreignKeys).toEqual([]);
  });

  it('getTableColumns and getTableName work as on any Drizzle table', () => {
    expect(Object.keys(getTableColumns(readings))).toEqual(['tenant', 'day', 'value', 'note']);
    expect(getTableName(readings)).toBe('readings');
  });
});
