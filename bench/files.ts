/**
 * Moving files and bulk data on a real CrateDB:
 *   blobs   `client.blobs(t).put()` and `.getBuffer()` of 64 KiB and 4 MiB blobs, MB/s, next to the floor: one undici
 *           PUT / GET of the same bytes with the digest already known (what no client can beat)
 *   copy    the same rows loaded by `db.copyFrom()` from a JSON-lines file on the server's disk and by `db.bulkInsert()`
 *           from memory, rows/s; every load is checked by a count
 * COPY needs the file on the CrateDB node's disk, so it runs only when the server is on this machine (a loopback
 * URL); otherwise it reports itself skipped.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Pool } from 'undici';
import { createTables, CrateClient, crateTable, dropTables, drizzle, integer, object, text, timestamp, withOptions } from '../src/index.js';
import { ratio, summarize, type Ratio, type Summary } from './stats.js';

export interface BlobFigure {
  size: number;
  count: number;
  putMBps: Summary;
  getMBps: Summary;
  floorPutMBps: Summary;
  floorGetMBps: Summary;
  putVsFloor: Ratio;
  getVsFloor: Ratio;
}

export interface CopyFigure {
  rows: number;
  copyFromRowsPerSec: Summary;
  bulkInsertRowsPerSec: Summary;
  copyVsBulk: Ratio;
}

export interface FileResults {
  blobs: BlobFigure[];
  copy: CopyFigure | { skipped: string };
}

const MB = 1024 * 1024;

export async function benchFiles(options: { url: string; rounds: number; copyRows: number; scale: number }): Promise<FileResults> {
  const client = new CrateClient({ servers: options.url, timeout: 0 });
  const pool = new Pool(new URL(options.url).origin, { connections: 4 });
  const table = `bench_blobs_${process.pid}`;
  await client.createBlobTable(table, { shards: 2, replicas: '0' });
  const blobs: BlobFigure[] = [];
  try {
    const container = client.blobs(table);
    for (const [size, count] of [
      [64 * 1024, Math.max(10, Math.round(200 * options.scale))],
      [4 * MB, Math.max(2, Math.round(20 * options.scale))],
    ] as const) {
      const put: number[] = [];
      const get: number[] = [];
      const floorPut: number[] = [];
      const floorGet: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        // Fresh bytes per round and contender: a blob already stored answers 409 without being written again.
        const ours = payloads(count, size, `ours-${round}`);
        const floor = payloads(count, size, `floor-${round}`);
        const digests = floor.map((data) => createHash('sha1').update(data).digest('hex'));
        const megabytes = (count * size) / MB;

        let started = performance.now();
        const stored = [];
        for (const data of ours) stored.push(await container.put(data));
        put.push(megabytes / ((performance.now() - started) / 1000));
        if (stored.some((s) => !s.created)) throw new Error('blob bench: a fresh blob was not created');

        started = performance.now();
        for (let i = 0; i < count; i++) {
          const response = await pool.request({ method: 'PUT', path: `/_blobs/${table}/${digests[i]}`, body: floor[i] });
          await response.body.dump();
          if (response.statusCode !== 201) throw new Error(`blob bench: floor PUT answered ${response.statusCode}`);
        }
        floorPut.push(megabytes / ((performance.now() - started) / 1000));

        started = performance.now();
        for (const { digest } of stored) {
          const bytes = await container.getBuffer(digest);
          if (bytes.length !== size) throw new Error('blob bench: a blob came back with another size');
        }
        get.push(megabytes / ((performance.now() - started) / 1000));

        started = performance.now();
        for (const digest of digests) {
          const response = await pool.request({ method: 'GET', path: `/_blobs/${table}/${digest}`, maxRedirections: 0 } as Parameters<Pool['request']>[0]);
          const bytes = Buffer.from(await response.body.arrayBuffer());
          if (bytes.length !== size) throw new Error('blob bench: a floor GET came back with another size');
        }
        floorGet.push(megabytes / ((performance.now() - started) / 1000));
      }
      blobs.push({
        size,
        count,
        putMBps: summarize(put),
        getMBps: summarize(get),
        floorPutMBps: summarize(floorPut),
        floorGetMBps: summarize(floorGet),
        putVsFloor: ratio(put, floorPut),
        getVsFloor: ratio(get, floorGet),
      });
    }
  } finally {
    await client.dropBlobTable(table, { ifExists: true });
    await pool.close();
    await client.close();
  }
  const copy = await benchCopy(options);
  return { blobs, copy };
}

function payloads(count: number, size: number, label: string): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const data = Buffer.alloc(size, i % 251);
    data.write(`${label}-${i}-${process.pid}`);
    return data;
  });
}

async function benchCopy(options: { url: string; rounds: number; copyRows: number }): Promise<CopyFigure | { skipped: string }> {
  const host = new URL(options.url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    return { skipped: `COPY FROM reads the file on the CrateDB node's disk; ${host} is not this machine` };
  }
  const db = drizzle({ client: new CrateClient({ servers: options.url, timeout: 0 }) });
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-cratedb-copy-'));
  // The server may run as another OS user: it must be able to read the folder and the file.
  chmodSync(dir, 0o755);
  const file = join(dir, 'rows.json');
  const rows = Array.from({ length: options.copyRows }, (_, i) => ({
    id: i,
    name: `name-${i}`,
    createdAt: new Date(1_700_000_000_000 + i * 1000),
    attrs: { k: i, s: 'v' },
  }));
  writeFileSync(file, rows.map((r) => JSON.stringify({ id: r.id, name: r.name, created_at: r.createdAt.getTime(), attrs: r.attrs })).join('\n'));
  chmodSync(file, 0o644);
  const copyRates: number[] = [];
  const bulkRates: number[] = [];
  const make = (name: string) =>
    crateTable(name, { id: integer('id').primaryKey(), name: text('name'), createdAt: timestamp('created_at', { withTimezone: true }), attrs: object('attrs') }, () => [
      withOptions({ number_of_replicas: '0' }),
    ]);
  const count = async (table: ReturnType<typeof make>) => {
    await db.refresh(table);
    return Number((await db.execute<{ n: number }>(sql`select count(*) as n from ${table}`)).rows[0]!.n);
  };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const path of round % 2 === 0 ? (['copy', 'bulk'] as const) : (['bulk', 'copy'] as const)) {
        const table = make(`bench_copy_${path}_${process.pid}_${round}`);
        await createTables(db, [table]);
        try {
          const started = performance.now();
          if (path === 'copy') {
            const summary = await db.copyFrom(table, `file://${file}`);
            const loaded = summary.reduce((sum, f) => sum + (f.successCount ?? 0), 0);
            if (loaded !== rows.length) throw new Error(`copy bench: COPY FROM loaded ${loaded} of ${rows.length} rows: ${JSON.stringify(summary)}`);
          } else {
            await db.bulkInsert(table, rows, { chunkSize: 5_000 });
          }
          const elapsed = performance.now() - started;
          const stored = await count(table);
          if (stored !== rows.length) throw new Error(`copy bench: ${path} stored ${stored} of ${rows.length} rows`);
          (path === 'copy' ? copyRates : bulkRates).push((rows.length / elapsed) * 1000);
        } finally {
          await dropTables(db, [table], { ifExists: true });
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.$client.close();
  }
  return {
    rows: rows.length,
    copyFromRowsPerSec: summarize(copyRates),
    bulkInsertRowsPerSec: summarize(bulkRates),
    copyVsBulk: ratio(copyRates, bulkRates),
  };
}
