/**
 * One process of the revision comparison (bench/revisions.ts): loads drizzle-cratedb from the source tree named by
 * BENCH_SRC (this checkout or another revision's), and measures, against the bench server at BENCH_URL, each path with
 * its HTTP floor in the same rounds:
 *
 *   prepared1 / floor1      a prepared one-row db.select() / undici + JSON.parse of the same request   queries/s
 *   select10k / floor10k    a 10,000-row db.select() / undici + JSON.parse of the same response         rows/s
 *   bulk / floorBulk        db.bulkInsert() of 10,000 rows / one raw POST of the same bulk_args          rows/s
 *
 * Only the package's public entry is used, so any revision with the same API can be measured by the same code.
 * Prints one JSON line: per task, the median rate of the rounds.
 */
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { BENCH_LARGE_ROWS, BENCH_LARGE_SQL, BENCH_SMALL_SQL } from './driver.js';
import { collectGarbage } from './memory.js';
import { interleave, rates, summarize, type Task } from './stats.js';

interface Entry {
  drizzle(init: object): Db;
  crateTable(name: string, columns: Record<string, unknown>): Record<string, unknown>;
  integer(name?: string): unknown;
  text(name?: string): { array(): unknown };
  timestamp(name: string, config: object): unknown;
  bigint(name: string): unknown;
  doublePrecision(name: string): unknown;
  boolean(name: string): unknown;
  object(name: string): unknown;
}
interface Db {
  select(): { from(table: object): { where(condition: unknown): { prepare(name: string): { execute(): Promise<unknown[]> } }; then: Promise<unknown[]>['then'] } };
  bulkInsert(table: object, rows: object[], options: object): Promise<{ failed: unknown[] }>;
  $client: { close(): Promise<void> };
}

const url = process.env.BENCH_URL!;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const entry = (await import(pathToFileURL(process.env.BENCH_SRC!).href)) as Entry;
const { eq } = (await import('drizzle-orm')) as unknown as { eq(column: unknown, value: unknown): unknown };

const readColumns = () => ({
  id: entry.integer('id'),
  name: entry.text('name'),
  createdAt: entry.timestamp('created_at', { withTimezone: true }),
  big: entry.bigint('big'),
  score: entry.doublePrecision('score'),
  active: entry.boolean('active'),
  tags: entry.text('tags').array(),
  attrs: entry.object('attrs'),
});
const small = entry.crateTable('bench_small', readColumns());
const large = entry.crateTable('bench_large', readColumns());
const target = entry.crateTable('bench_write', { id: entry.integer('id'), name: entry.text('name'), score: entry.doublePrecision('score') });

const db = entry.drizzle({ client: await clientFor(url) });
const pool = new Pool(new URL(url).origin, { connections: 10 });
const post = async (body: string): Promise<unknown> => {
  const response = await pool.request({ method: 'POST', path: '/_sql?types', headers: { 'content-type': 'application/json' }, body });
  return JSON.parse(await response.body.text());
};

const prepared = db.select().from(small).where(eq(small['id'], 1)).prepare('bench_small_by_id');
const rows = Array.from({ length: BENCH_LARGE_ROWS }, (_, i) => ({ id: i, name: `name-${i}`, score: i * 1.25 }));
const smallBody = JSON.stringify({ stmt: BENCH_SMALL_SQL, args: [1] });
const largeBody = JSON.stringify({ stmt: BENCH_LARGE_SQL });
const bulkStmt = 'INSERT INTO "bench_write" ("id", "name", "score") VALUES (?, ?, ?)';

const tasks: Record<string, { task: Task; iterations: number; units: number }> = {
  prepared1: { task: () => prepared.execute(), iterations: 200, units: 1 },
  floor1: { task: () => post(smallBody), iterations: 200, units: 1 },
  select10k: { task: () => Promise.resolve(db.select().from(large)), iterations: 3, units: BENCH_LARGE_ROWS },
  floor10k: { task: () => post(largeBody), iterations: 3, units: BENCH_LARGE_ROWS },
  bulk: { task: () => db.bulkInsert(target, rows, { chunkSize: BENCH_LARGE_ROWS }), iterations: 2, units: BENCH_LARGE_ROWS },
  // The floor serialises the same rows, as the client must, inside the timed task.
  floorBulk: { task: () => post(JSON.stringify({ stmt: bulkStmt, bulk_args: rows.map((row) => [row.id, row.name, row.score]) })), iterations: 2, units: BENCH_LARGE_ROWS },
};

async function clientFor(servers: string): Promise<unknown> {
  const { CrateClient } = (await import(pathToFileURL(process.env.BENCH_SRC!).href)) as { CrateClient: new (options: object) => unknown };
  return new CrateClient({ servers });
}

try {
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, { task, iterations, units }] of Object.entries(tasks)) {
      collectGarbage();
      const ms = (await interleave({ [name]: task }, { iterations, concurrency: 1, rounds: 1, warmupBatches: round === 0 ? 1 : 0 }))[name]!;
      if (round > 0) (samples[name] ??= []).push(...rates(ms, iterations * units));
    }
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values).median]));
  process.stdout.write(`${JSON.stringify({ medians })}\n`);
} finally {
  await db.$client.close();
  await pool.close();
}
