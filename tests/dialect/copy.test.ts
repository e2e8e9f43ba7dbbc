/**
 * db.copyFrom() and db.copyTo() on both lines: the statements sent (parsed by CrateDB's grammar), option checks before
 * sending, and the typed summary. Integration tests run them on a real CrateDB (tests/integration/copy.test.ts).
 */
import { gt } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CrateConfigError, crateSchema, crateTable, drizzle, integer, text } from 'drizzle-cratedb';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';

const quotes = crateTable('quotes', { id: integer().primaryKey(), quote: text(), day: text() });
const other = crateTable('other', { id: integer() });
const archive = crateSchema('archive');

const summaryRow = [
  { id: 'n1', name: 'node-1' },
  'file:///tmp/q.json',
  2,
  1,
  { 'Cannot cast value': { count: 1, line_numbers: [2] } },
];

function setup() {
  const { client, calls } = recordingClient((call) =>
    /return summary/.test(call.stmt)
      ? { cols: ['node', 'uri', 'success_count', 'error_count', 'errors'], rows: [summaryRow], rowCount: 1 }
      : { rowCount: 3 },
  );
  return { db: drizzle({ client }), calls };
}

describe('db.copyFrom', () => {
  it('sends COPY ... FROM with the URI and option values as parameters, and types the summary', async () => {
    const { db, calls } = setup();
    const files = await db.copyFrom(quotes, 'file:///tmp/q.json', { format: 'json', bulk_size: 500, overwrite_duplicates: true });
    expect(calls).toEqual([
      { stmt: 'copy "quotes" from $1 with (format = $2, bulk_size = $3, overwrite_duplicates = $4) return summary', args: ['file:///tmp/q.json', 'json', 500, true] },
    ]);
    expect(files).toEqual([
      { node: { id: 'n1', name: 'node-1' }, uri: 'file:///tmp/q.json', successCount: 2, errorCount: 1, errors: { 'Cannot cast value': { count: 1, lineNumbers: [2] } } },
    ]);
    expectCrateSql(calls[0]!.stmt);
  });

  it('writes several URIs, CSV columns, a partition and node filters the way CrateDB parses them', async () => {
    const { db, calls } = setup();
    await db.copyFrom(quotes, ['file:///a/*.csv', 's3://bucket/b.csv'], {
      format: 'csv',
      header: false,
      delimiter: ';',
      columns: [quotes.id, quotes.quote],
      partition: { day: '2025-01-01' },
      node_filters: { name: 'node-.*' },
      shared: true,
    });
    expect(calls[0]!.stmt).toBe(
      'copy "quotes" partition ("day" = $1) ("id", "quote") from [$2, $3] with (format = $4, header = $5, delimiter = $6, node_filters = {name = $7}, shared = $8) return summary',
    );
    expect(calls[0]!.args).toEqual(['2025-01-01', 'file:///a/*.csv', 's3://bucket/b.csv', 'csv', false, ';', 'node-.*', true]);
    expectCrateSql(calls[0]!.stmt);
  });

  it('leaves RETURN SUMMARY out when not waiting for completion (CrateDB refuses the two together)', async () => {
    const { db, calls } = setup();
    expect(await db.copyFrom(archive.table('quotes', { id: integer() }), '/tmp/q.json', { wait_for_completion: false })).toEqual([]);
    expect(calls[0]!.stmt).toBe('copy "archive"."quotes" from $1 with (wait_for_completion = $2)');
    expectCrateSql(calls[0]!.stmt);
  });

  it('refuses bad options before sending, naming them', async () => {
    const { db, calls } = setup();
    const refusals: [unknown, RegExp][] = [
      [{ bulksize: 10 }, /unknown option 'bulksize'; did you mean 'bulk_size'/],
      [{ validation: false }, /unknown option 'validation'/],
      [{ format: 'xml' }, /format must be 'json' or 'csv'/],
      [{ format: 'jsn' }, /did you mean 'json'/],
      [{ compression: 'zip' }, /compression must be 'gzip'/],
      [{ bulk_size: 0 }, /bulk_size must be a whole number ≥ 1/],
      [{ shared: 'yes' }, /shared must be true or false/],
      [{ delimiter: ';;' }, /delimiter must be one character/],
      [{ node_filters: { nam: 'x' } }, /node_filters.nam'; did you mean 'node_filters.name'/],
      [{ protocol: 'https' }, /protocol applies to s3:\/\/ URIs only/],
      [{ format: 'json', header: false }, /header apply to CSV files only/],
      [{ columns: [other.id] }, /column "id" is not a column of quotes/],
      [{ partition: { dy: 'x' } }, /unknown option 'dy'; did you mean 'day'/],
    ];
    for (const [options, message] of refusals) {
      const error = await db.copyFrom(quotes, 'file:///tmp/q.json', options as never).then(() => undefined, (caught: unknown) => caught);
      expect(error, String(message)).toBeInstanceOf(CrateConfigError);
      expect(String(error)).toMatch(message);
    }
    await expect(db.copyFrom(quotes, '')).rejects.toThrow(/URI must be a non-empty string/);
    await expect(db.copyFrom(quotes, [])).rejects.toBeInstanceOf(CrateConfigError);
    expect(calls).toEqual([]);
  });
});

describe('db.copyTo', () => {
  it('sends COPY ... TO DIRECTORY with bare column names in the column list, PARTITION and WHERE', async () => {
    const { db, calls } = setup();
    const count = await db.copyTo(quotes, 'file:///tmp/out', {
      partition: { day: '2025-01-01' },
      columns: [quotes.id, quotes.quote],
      where: gt(quotes.id, 10),
      compression: 'gzip',
      format: 'json_array',
    });
    expect(count).toBe(3);
    expect(calls).toEqual([
      {
        stmt: 'copy "quotes" partition ("day" = $1) ("id", "quote") where "id" > $2 to directory $3 with (compression = $4, format = $5)',
        args: ['2025-01-01', 10, 'file:///tmp/out', 'gzip', 'json_array'],
      },
    ]);
    expectCrateSql(calls[0]!.stmt);
    await db.copyTo(quotes, '/tmp/out');
    expect(calls[1]!.stmt).toBe('copy "quotes" to directory $1');
    expectCrateSql(calls[1]!.stmt);
  });

  it("shows COPY statements to the database's logger", async () => {
    const { client } = recordingClient();
    const logged: [string, unknown[]][] = [];
    const db = drizzle({ client, logger: { logQuery: (query: string, params: unknown[]) => logged.push([query, params]) } });
    await db.copyTo(quotes, '/tmp/out');
    await db.copyFrom(quotes, '/tmp/out/*', { wait_for_completion: false });
    expect(logged).toEqual([
      ['copy "quotes" to directory $1', ['/tmp/out']],
      ['copy "quotes" from $1 with (wait_for_completion = $2)', ['/tmp/out/*', false]],
    ]);
  });

  it('refuses bad options before sending', async () => {
    const { db, calls } = setup();
    await expect(db.copyTo(quotes, '/tmp/out', { format: 'json_array' })).rejects.toThrow(/'json_array' needs columns/);
    await expect(db.copyTo(quotes, '/tmp/out', { shared: true } as never)).rejects.toThrow(/unknown option 'shared'/);
    await expect(db.copyTo(quotes, '/tmp/out', { wait_for_completion: 1 } as never)).rejects.toThrow(/true or false/);
    await expect(db.copyTo(quotes, ['/a', '/b'] as never)).rejects.toThrow(/URI must be a non-empty string \(/);
    expect(calls).toEqual([]);
  });
});
