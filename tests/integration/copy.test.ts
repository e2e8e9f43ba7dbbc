/**
 * COPY FROM and COPY TO on a real CrateDB, both lines. CrateDB reads and writes the files itself, so they must be on
 * its machine: these tests need a CrateDB on this host (started from a tarball or folder, or CRATEDB_URL at localhost) that can read a
 * world-readable temporary directory. A CrateDB in a container (testcontainers) cannot see these files: the suite is
 * skipped then, and says so.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { crateTable, drizzle, integer, partitionedBy, text } from 'drizzle-cratedb';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';

// A CrateDB started as processes here, or one at CRATEDB_URL on this host; not one in a container.
const local = crateUrl !== null && !inject('crateSource').startsWith('testcontainers') && ['localhost', '127.0.0.1', '[::1]'].includes(new URL(crateUrl).hostname);
const describeLocalCrate = local
  ? describeCrate
  : // Not `describe.skip(name, fn)`: vitest still runs `fn` to collect its tests, and its client needs a server.
    (name: string, _fn: () => void) =>
      describe.skip(`${name} [SKIPPED: COPY needs a CrateDB on this host (CRATEDB_URL at localhost) that can read its temp files; a container cannot]`, () => {
        it('COPY FROM and COPY TO against that CrateDB', () => {});
      });

describeLocalCrate('COPY on a real CrateDB', () => {
  const client = testClient();
  const db = drizzle({ client });
  const quotesName = uniqueName('copy_quotes');
  const copyName = uniqueName('copy_back');
  const eventsName = uniqueName('copy_events');
  const quotes = crateTable(quotesName, { id: integer().primaryKey(), quote: text() });
  const copied = crateTable(copyName, { id: integer().primaryKey(), quote: text() });
  const events = crateTable(eventsName, { id: integer(), day: text().notNull() }, (t) => [partitionedBy(t.day)]);
  let dir: string;

  beforeAll(async () => {
    // World-readable (CrateDB runs as another user); the export directory must also be writable for it.
    dir = mkdtempSync(join(tmpdir(), 'drizzle-cratedb-copy-'));
    chmodSync(dir, 0o777);
    for (const table of [quotesName, copyName]) await client.sql(`CREATE TABLE "${table}" (id INT PRIMARY KEY, quote TEXT) WITH (number_of_replicas = 0)`);
    await client.sql(`CREATE TABLE "${eventsName}" (id INT, day TEXT NOT NULL) PARTITIONED BY (day) WITH (number_of_replicas = 0)`);
  });

  afterAll(async () => {
    for (const table of [quotesName, copyName, eventsName]) await client.sql(`DROP TABLE IF EXISTS "${table}"`);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** CrateDB does not create the export directory: it must exist, writable for CrateDB's user. */
  function exportDir(name: string): string {
    const path = join(dir, name);
    mkdirSync(path);
    chmodSync(path, 0o777);
    return path;
  }

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    chmodSync(path, 0o644);
    return `file://${path}`;
  }

  it('imports a JSON file and reports the one bad line by number', async () => {
    const uri = file('quotes.json', ['{"id": 1, "quote": "Don\'t panic"}', '{"id": "x", "quote": "bad id"}', '{"id": 3, "quote": "Mostly harmless"}'].join('\n'));
    const files = await db.copyFrom(quotes, uri);
    expect(files).toHaveLength(1);
    const [summary] = files;
    expect(summary).toMatchObject({ uri, successCount: 2, errorCount: 1 });
    expect(summary!.node.name).not.toBe('');
    const errors = Object.values(summary!.errors);
    expect(errors).toEqual([{ count: 1, lineNumbers: [2] }]);
    await db.refresh(quotes);
    expect(await db.select().from(quotes).orderBy(asc(quotes.id))).toEqual([
      { id: 1, quote: "Don't panic" },
      { id: 3, quote: 'Mostly harmless' },
    ]);
    // Again: every row now collides with its primary key, unless duplicates are overwritten.
    expect((await db.copyFrom(quotes, uri))[0]).toMatchObject({ successCount: 0, errorCount: 3 });
    expect((await db.copyFrom(quotes, uri, { overwrite_duplicates: true }))[0]).toMatchObject({ successCount: 2, errorCount: 1 });
  });

  it('imports CSV without a header into the columns given, and reports a file it cannot read', async () => {
    const csv = file('more.csv', '10;ten\n11;eleven\n');
    const missing = `file://${join(dir, 'missing.json')}`;
    const files = await db.copyFrom(quotes, [csv, missing], { format: 'csv', header: false, delimiter: ';', columns: [quotes.id, quotes.quote] });
    const byUri = new Map(files.map((result) => [result.uri, result]));
    expect(byUri.get(csv)).toMatchObject({ successCount: 2, errorCount: 0, errors: {} });
    expect(byUri.get(missing)).toMatchObject({ successCount: null, errorCount: null });
    expect(Object.keys(byUri.get(missing)!.errors).join()).toMatch(/No such file/);
    await db.refresh(quotes);
    const rows = await db.select().from(quotes).where(gt(quotes.id, 9)).orderBy(asc(quotes.id));
    expect(rows).toEqual([
      { id: 10, quote: 'ten' },
      { id: 11, quote: 'eleven' },
    ]);
  });

  it('imports into one partition', async () => {
    const uri = file('events.json', '{"id": 1}\n{"id": 2}\n');
    expect((await db.copyFrom(events, uri, { partition: { day: '2025-01-01' } }))[0]).toMatchObject({ successCount: 2, errorCount: 0 });
    await db.refresh(events);
    expect(await db.select().from(events).orderBy(asc(events.id))).toEqual([
      { id: 1, day: '2025-01-01' },
      { id: 2, day: '2025-01-01' },
    ]);
  });

  it('exports to a directory, and the export reads back in with COPY FROM', async () => {
    const out = exportDir('export');
    const count = await db.copyTo(quotes, `file://${out}`);
    expect(count).toBe(4);
    const lines = readdirSync(out).flatMap((name) => readFileSync(join(out, name), 'utf8').split('\n').filter(Boolean));
    expect(lines.map((line) => JSON.parse(line) as { id: number }).sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, quote: "Don't panic" },
      { id: 3, quote: 'Mostly harmless' },
      { id: 10, quote: 'ten' },
      { id: 11, quote: 'eleven' },
    ]);
    const files = await db.copyFrom(copied, `file://${out}/*`);
    expect(files.reduce((sum, result) => sum + (result.successCount ?? 0), 0)).toBe(4);
    await db.refresh(copied);
    expect(await db.select().from(copied).orderBy(asc(copied.id))).toEqual(await db.select().from(quotes).orderBy(asc(quotes.id)));
  });

  it('exports chosen columns of the rows matching a condition', async () => {
    const out = exportDir('export-where');
    const count = await db.copyTo(quotes, `file://${out}`, { columns: [quotes.id], where: gt(quotes.id, 3), compression: 'gzip' });
    expect(count).toBe(2);
    const { gunzipSync } = await import('node:zlib');
    const lines = readdirSync(out).flatMap((name) => gunzipSync(readFileSync(join(out, name))).toString('utf8').split('\n').filter(Boolean));
    expect(lines.map((line) => JSON.parse(line) as unknown).sort()).toEqual([[10], [11]]);
  });
});
