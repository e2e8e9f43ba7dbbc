/**
 * The tables the bench reads and writes, declared with the package's own column builders so that `db.select()` and
 * `db.insert()` pay for Drizzle's row mapping and the columns' value mapping, as an application would.
 */
import { getTableColumns } from 'drizzle-orm';
import {
  bigint as pgBigint,
  boolean as pgBoolean,
  doublePrecision as pgDoublePrecision,
  integer as pgInteger,
  jsonb,
  pgTable,
  text as pgText,
  timestamp as pgTimestamp,
} from 'drizzle-orm/pg-core';
import {
  bigint,
  boolean,
  crateTable,
  doublePrecision,
  integer,
  object,
  real,
  text,
  timestamp,
  withOptions,
} from '../src/index.js';
import { BENCH_COL_TYPES, BENCH_COLUMNS } from './driver.js';

/**
 * The columns the bench protocol server sends (BENCH_COLUMNS / BENCH_COL_TYPES): INTEGER, TEXT, TIMESTAMP WITH TIME
 * ZONE, BIGINT, DOUBLE, BOOLEAN, ARRAY(TEXT), OBJECT. Timestamps map to Date and BIGINT to number (the values are
 * below 2^53), the defaults an application gets.
 */
export const readColumns = () => ({
  id: integer('id'),
  name: text('name'),
  createdAt: timestamp('created_at', { withTimezone: true }),
  big: bigint('big'),
  score: doublePrecision('score'),
  active: boolean('active'),
  tags: text('tags').array(),
  attrs: object('attrs'),
});

/** The server answers any statement that mentions `bench_small` with one row and `bench_large` with 10,000. */
export const benchSmall = crateTable('bench_small', readColumns());
export const benchLarge = crateTable('bench_large', readColumns());

/** The same table in plain pg-core, to tell drizzle-orm's own query-building cost from the dialect's. */
export const pgReadColumns = () => ({
  id: pgInteger('id'),
  name: pgText('name'),
  createdAt: pgTimestamp('created_at', { withTimezone: true }),
  big: pgBigint('big', { mode: 'number' }),
  score: pgDoublePrecision('score'),
  active: pgBoolean('active'),
  tags: pgText('tags').array(),
  attrs: jsonb('attrs'),
});
export const pgSmall = pgTable('bench_small', pgReadColumns());

/** Fails at start-up, not in the middle of a run, if driver.ts's columns and these tables drift apart. */
export function checkReadSchema(): void {
  const names = Object.values(getTableColumns(benchSmall)).map((column) => column.name);
  if (names.join() !== BENCH_COLUMNS.join()) {
    throw new Error(`bench/schema.ts: columns ${names.join()} do not match driver.ts's ${BENCH_COLUMNS.join()}`);
  }
  if (BENCH_COL_TYPES.length !== names.length) throw new Error('bench/schema.ts: col_types and columns differ in number');
}

/**
 * Ten columns for the write benchmark. The primary key makes the real server reject a duplicate instead of storing it
 * twice, so a count after the run proves each row arrived exactly once.
 */
export function writeTable(name: string) {
  return crateTable(
    name,
    { ...readColumns(), id: integer('id').primaryKey(), city: text('city'), ratio: real('ratio') },
    // One node: replicas could never be allocated and would only turn the table yellow.
    () => [withOptions({ number_of_replicas: '0' })],
  );
}

export type WriteTable = ReturnType<typeof writeTable>;
export type WriteRow = WriteTable['$inferInsert'];

const CITIES = ['Berlin', 'Dornbirn', 'Zürich', 'Wien', 'Lisboa', 'München', 'Graz', 'Basel'];

/** Row `i` of the write benchmark: deterministic, so the real server's contents can be checked by sum of ids. */
export function writeRow(i: number): WriteRow {
  return {
    id: i,
    name: `name-${i}`,
    createdAt: new Date(1_700_000_000_000 + i * 1000),
    big: 4_000_000_000 + i,
    score: i * 1.25,
    active: i % 2 === 0,
    tags: ['a', `t${i % 10}`],
    attrs: { k: i, s: 'v' },
    city: CITIES[i % CITIES.length]!,
    ratio: (i % 100) / 8,
  };
}
