/**
 * Reading a large result (1,000,000 rows × 10 columns by default) from a real CrateDB:
 *   execute    `await db.select().from(t)`: one response holding every row
 *   iterator   `for await (const row of db.select().from(t).iterator({ batchSize }))`: a cursor, FETCH per batch
 *   cursor     `client.cursor(stmt, [], { batchSize })`: the same without Drizzle, rows as arrays
 * The iterator runs with the default batch of 1,000 rows and with 10,000: a larger batch means fewer round trips, and
 * more garbage between collections.
 * with rows/s and the client's peak heap over a baseline taken after gc(). Each contender runs in a process of its
 * own, so one's garbage never counts in another's peak.
 *
 * The table is made on the server (INSERT ... SELECT from generate_series) once and kept, named after its row count,
 * because filling it takes longer than reading it; `BENCH_STREAM_DROP=1` drops it afterwards.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bigint, boolean, CrateClient, doublePrecision, drizzle, object, real, text, timestamp, crateTable } from '../src/index.js';
import { withPeakMemory } from './memory.js';
import { summarize, type Summary } from './stats.js';

export const STREAM_CONTENDERS = {
  execute: 'db.select() (one response)',
  iterator: 'db.select().iterator(), batches of 1,000',
  iteratorLarge: 'db.select().iterator(), batches of 10,000',
  cursor: 'CrateClient.cursor(), batches of 1,000',
} as const;
const BATCH_SIZES: Partial<Record<keyof typeof STREAM_CONTENDERS, number>> = { iterator: 1_000, iteratorLarge: 10_000, cursor: 1_000 };
export type StreamContender = keyof typeof STREAM_CONTENDERS;

export interface StreamFigure {
  title: string;
  rowsPerSec: Summary;
  /** Largest peak over the runs, MB over the baseline. */
  peakHeapMB: number;
  peakRssMB: number;
  /** Rows each run delivered: always the table's row count. */
  rowsSeen: number[];
}

export interface StreamResults {
  rows: number;
  /**
   * Each way of reading run once more with V8's heap capped at {@link HEAP_CAP_MB} MB: whether it read every row, or
   * what ended it. Peak heapUsed above counts garbage not yet collected; a cap shows what the read really needs.
   */
  underHeapCap: Record<StreamContender, { completed: boolean; outcome: string }>;
  runs: number;
  figures: Record<StreamContender, StreamFigure>;
}

const streamTable = (rows: number) =>
  crateTable(`bench_stream_${rows}`, {
    id: bigint('id'),
    name: text('name'),
    createdAt: timestamp('created_at', { withTimezone: true }),
    big: bigint('big'),
    score: doublePrecision('score'),
    active: boolean('active'),
    tags: text('tags').array(),
    attrs: object('attrs'),
    city: text('city'),
    ratio: real('ratio'),
  });

/** Creates and fills the table unless it is there with every row. */
async function ensureTable(url: string, rows: number): Promise<void> {
  const client = new CrateClient({ servers: url, timeout: 0 });
  const name = `bench_stream_${rows}`;
  try {
    const known = await client.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'doc' AND table_name = ?`, [name]);
    if (Number(known.rows[0]![0]) === 1) {
      const counted = await client.sql(`SELECT count(*) FROM ${name}`);
      if (Number(counted.rows[0]![0]) === rows) return;
      await client.sql(`DROP TABLE ${name}`);
    }
    await client.sql(
      `CREATE TABLE ${name} (id BIGINT, name TEXT, created_at TIMESTAMP WITH TIME ZONE, big BIGINT, score DOUBLE PRECISION, ` +
        `active BOOLEAN, tags ARRAY(TEXT), attrs OBJECT, city TEXT, ratio REAL) CLUSTERED INTO 4 SHARDS WITH (number_of_replicas = 0)`,
    );
    await client.sql(
      `INSERT INTO ${name} (id, name, created_at, big, score, active, tags, attrs, city, ratio) ` +
        `SELECT g, 'name-' || g, 1700000000000 + g * 1000, 4000000000 + g, g * 1.25, g % 2 = 0, ['a', 't' || (g % 10)], ` +
        `{k = g, s = 'v'}, 'Berlin', (g % 100) / 8.0 FROM generate_series(1, ?) AS g`,
      [rows],
    );
    await client.sql(`REFRESH TABLE ${name}`);
  } finally {
    await client.close();
  }
}

/** One contender's read in this (child) process: rows seen, elapsed ms and the peak memory. */
async function readOnce(url: string, rows: number, batchSize: number, contender: StreamContender) {
  const client = new CrateClient({ servers: url, timeout: 0 });
  const db = drizzle({ client });
  const table = streamTable(rows);
  try {
    const started = performance.now();
    const { result: seen, memory } = await withPeakMemory(async () => {
      let count = 0;
      if (contender === 'execute') {
        count = (await db.select().from(table)).length;
      } else if (contender === 'iterator' || contender === 'iteratorLarge') {
        for await (const row of db.select().from(table).iterator({ batchSize })) if (row.id !== null) count++;
      } else {
        for await (const batch of client.cursor(`SELECT * FROM ${`bench_stream_${rows}`}`, [], { batchSize })) count += batch.rows.length;
      }
      return count;
    });
    return { seen, ms: performance.now() - started, memory };
  } finally {
    await client.close();
  }
}

export async function benchStreaming(options: { url: string; rows: number; runs: number; batchSize?: number }): Promise<StreamResults> {
  await ensureTable(options.url, options.rows);
  const contenders = Object.keys(STREAM_CONTENDERS) as StreamContender[];
  const perContender: Record<string, { rate: number; heap: number; rss: number; seen: number }[]> = Object.fromEntries(contenders.map((c) => [c, []]));
  for (let run = 0; run < options.runs; run++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(run + i) % contenders.length]!;
      const answer = await inChild({ ...options, batchSize: BATCH_SIZES[contender] ?? options.batchSize ?? 1_000, contender });
      perContender[contender]!.push({ rate: (answer.seen / answer.ms) * 1000, heap: answer.memory.peakHeapMB, rss: answer.memory.peakRssMB, seen: answer.seen });
    }
  }
  const underHeapCap = {} as StreamResults['underHeapCap'];
  for (const contender of contenders) {
    try {
      const answer = await inChild({ ...options, batchSize: BATCH_SIZES[contender] ?? options.batchSize ?? 1_000, contender }, HEAP_CAP_MB);
      underHeapCap[contender] = { completed: answer.seen === options.rows, outcome: `read ${answer.seen} rows` };
    } catch (error) {
      underHeapCap[contender] = { completed: false, outcome: (error as Error).message };
    }
  }
  if (process.env.BENCH_STREAM_DROP === '1') {
    const client = new CrateClient({ servers: options.url });
    await client.sql(`DROP TABLE IF EXISTS bench_stream_${options.rows}`).finally(() => client.close());
  }
  const figures = Object.fromEntries(
    contenders.map((contender) => {
      const runs = perContender[contender]!;
      const short = runs.find((r) => r.seen !== options.rows);
      if (short) throw new Error(`stream bench: ${contender} saw ${short.seen} of ${options.rows} rows`);
      return [
        contender,
        {
          title: STREAM_CONTENDERS[contender],
          rowsPerSec: summarize(runs.map((r) => r.rate)),
          peakHeapMB: Math.max(...runs.map((r) => r.heap)),
          peakRssMB: Math.max(...runs.map((r) => r.rss)),
          rowsSeen: runs.map((r) => r.seen),
        },
      ];
    }),
  ) as Record<StreamContender, StreamFigure>;
  return { rows: options.rows, runs: options.runs, figures, underHeapCap };
}

type ChildAnswer = Awaited<ReturnType<typeof readOnce>>;

/** The heap limit the issue sets for reading a million rows. */
export const HEAP_CAP_MB = 64;

function inChild(request: { url: string; rows: number; batchSize: number; contender: StreamContender }, heapMB = 4096): Promise<ChildAnswer> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(request)], {
      execArgv: ['--expose-gc', '--import', 'tsx', `--max-old-space-size=${heapMB}`],
      // A capped child that runs out of heap says so on stderr; the outcome is reported, not the V8 dump.
      stdio: ['ignore', 'inherit', heapMB === 4096 ? 'inherit' : 'ignore', 'ipc'],
    });
    child.once('message', (answer) => resolve(answer as ChildAnswer));
    child.once('exit', (code, signal) => reject(new Error(`ended before reading every row (exit code ${code ?? signal}${heapMB === 4096 ? '' : `, heap capped at ${heapMB} MB`})`)));
  });
}

// As a child: read once, answer, exit.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const request = JSON.parse(process.argv[2]!) as { url: string; rows: number; batchSize: number; contender: StreamContender };
  const answer = await readOnce(request.url, request.rows, request.batchSize, request.contender);
  process.send(answer, () => process.exit(0));
}
