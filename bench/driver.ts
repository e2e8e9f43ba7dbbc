/**
 * Driver benchmark: CrateClient against the floor (raw undici + JSON.parse) and against node-crate, on a loopback
 * protocol server that answers from pre-serialized bodies in a worker thread, so the server is not what is measured.
 *
 *   const server = await startBenchServer();             // in a worker thread
 *   const figures = await benchDriver({ url: server.url });
 *   await server.close();
 *
 * Figures are medians over `rounds`, each round a fixed number of iterations after a warm-up.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { CrateClient } from '../src/driver/index.js';
import { defaultHandler, replies, startProtocolServer, type ProtocolServer, type RecordedRequest, type Reply } from '../tests/support/protocol-server.js';

/** Columns of both bench tables: ints, text, a timestamp, a bigint, a double, a boolean, an array, an object. */
export const BENCH_COLUMNS = ['id', 'name', 'created_at', 'big', 'score', 'active', 'tags', 'attrs'] as const;
export const BENCH_COL_TYPES = [9, 4, 11, 10, 6, 3, [100, 4], 12] as const;
export const BENCH_LARGE_ROWS = 10_000;
/** Statements mentioning `bench_small` get one row, `bench_large` 10 000 rows; anything else is answered as a write. */
export const BENCH_SMALL_SQL = `SELECT ${BENCH_COLUMNS.join(', ')} FROM bench_small WHERE id = ?`;
export const BENCH_LARGE_SQL = `SELECT ${BENCH_COLUMNS.join(', ')} FROM bench_large`;

function benchRow(i: number): unknown[] {
  return [i, `name-${i}`, 1_700_000_000_000 + i * 1000, 4_000_000_000 + i, i * 1.25, i % 2 === 0, ['a', `t${i % 10}`], { k: i, s: 'v' }];
}

function preSerialized(rows: unknown[][]): Reply {
  const json = JSON.stringify({ cols: BENCH_COLUMNS, col_types: BENCH_COL_TYPES, rows, rowcount: rows.length, duration: 1.5 });
  return { text: Buffer.from(json), contentType: 'application/json' };
}

/** The bench server in this thread: for tests, which cannot start the TypeScript module as a worker or a child. */
export function startServingBenchData(): Promise<ProtocolServer> {
  const small = preSerialized([benchRow(1)]);
  const large = preSerialized(Array.from({ length: BENCH_LARGE_ROWS }, (_, i) => benchRow(i)));
  return startProtocolServer({
    record: false,
    handler: (request) => {
      // A substring test instead of parsing the body: the server must cost as little as possible.
      if (request.body.includes('bench_small')) return small;
      if (request.body.includes('bench_large')) return large;
      return benchWriteReply(request) ?? defaultHandler(request);
    },
  });
}

/**
 * Answers a write the way CrateDB would, counted from what the request actually carried: a multi-row INSERT gets
 * `rowcount` = its number of VALUES tuples, a bulk request one outcome per `bulk_args` row. A request whose arguments
 * do not fit its statement (a tuple short of parameters, a bulk row of the wrong length) is refused with an error, so a
 * client that drops values fails the write benchmark instead of being credited with rows it never sent.
 */
export function benchWriteReply(request: RecordedRequest): Reply | undefined {
  const stmt = request.stmt;
  if (request.method !== 'POST' || stmt === undefined || !/^\s*insert\b/i.test(stmt)) return undefined;
  const placeholders = (stmt.match(/\$\d+|\?/g) ?? []).length;
  const bulkArgs = request.json?.bulk_args;
  if (Array.isArray(bulkArgs)) {
    const bad = bulkArgs.findIndex((row) => !Array.isArray(row) || row.length !== placeholders);
    if (bad >= 0) return replies.error(4000, `bench server: bulk_args[${bad}] does not have ${placeholders} values`);
    return replies.bulk(bulkArgs.map(() => ({ rowcount: 1 })));
  }
  const values = stmt.search(/\)\s*values\s*\(/i);
  if (values < 0) return undefined;
  const columns = stmt.slice(stmt.indexOf('(') + 1, values).split(',').length;
  const tuples = stmt.slice(values + 1).split('(').length - 1;
  const args = request.json?.args ?? [];
  if (placeholders !== tuples * columns || args.length !== placeholders) {
    return replies.error(4000, `bench server: ${args.length} args for ${tuples} tuples of ${columns} columns (${placeholders} placeholders)`);
  }
  return replies.rowCount(tuples);
}

export interface BenchServer {
  readonly url: string;
  close(): Promise<void>;
}

const SERVER_ROLE = 'drizzle-cratedb-bench-server';

/**
 * Starts the bench protocol server in a worker thread (this same module), so that serving requests does not take
 * event-loop time from the client being measured. Workers inherit `--import tsx` from the parent process.
 */
export async function startBenchServer(options: { isolation?: 'thread' | 'process' } = {}): Promise<BenchServer> {
  if (options.isolation === 'process') return startBenchServerProcess();
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: SERVER_ROLE } });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { url: string }) => resolve(message.url));
    worker.once('error', reject);
  });
  return {
    url,
    close: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The same server in a child process (this module again, with the parent's `--import tsx`). A worker thread shares the
 * process, so its buffers count in the client's `rss`; a separate process keeps memory figures of the client clean.
 */
async function startBenchServerProcess(): Promise<BenchServer> {
  const child = fork(fileURLToPath(import.meta.url), [SERVER_ROLE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server process exited with code ${code} before listening`)));
  });
  return {
    url,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await exited;
    },
  };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === SERVER_ROLE) {
  const server = await startServingBenchData();
  parentPort!.postMessage({ url: server.url });
} else if (isMainThread && process.argv[2] === SERVER_ROLE && process.send) {
  await startServingBenchData().then((server) => process.send!({ url: server.url }));
  // Stop when the parent goes away, even if it could not kill this process.
  process.on('disconnect', () => process.exit(0));
}


type Task = () => Promise<unknown>;

/** `iterations` runs of `task`, `concurrency` at a time; resolves to the elapsed ms. */
async function timeBatch(task: Task, iterations: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let launched = 0;
  const worker = async (): Promise<void> => {
    while (launched++ < iterations) await task();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Median batch time in ms per contender. Contenders take turns within each round (in rotating order), so load from
 * elsewhere on the machine hits all of them alike instead of whichever happened to run at the time.
 */
async function compare(contenders: Record<string, Task>, iterations: number, concurrency: number, rounds: number): Promise<Record<string, number>> {
  const names = Object.keys(contenders);
  for (const name of names) await timeBatch(contenders[name]!, iterations, concurrency);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      samples[name]!.push(await timeBatch(contenders[name]!, iterations, concurrency));
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name]!)]));
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * What gzip costs and saves for bulk INSERT bodies of ~6 KB, ~70 KB and ~700 KB: CPU time per level, size ratio, and
 * the end-to-end loopback time of `bulk()` with and without compression.
 */
export async function benchCompression(url: string, rounds: number): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const stmt = `INSERT INTO bench_target (${BENCH_COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
  const plain = new CrateClient({ servers: url, compression: false });
  const gzipped = new CrateClient({ servers: url, compression: true });
  try {
    for (const rowCount of [80, 800, 8000]) {
      const bulkArgs = Array.from({ length: rowCount }, (_, i) => benchRow(i));
      const body = JSON.stringify({ stmt, bulk_args: bulkArgs });
      const label = `gzip.${Math.round(body.length / 1000)}kB`;
      const iterations = Math.max(3, Math.round(1_000_000 / body.length));
      const cpu = await compare(
        { level1: async () => gzipSync(body, { level: 1 }), level6: async () => gzipSync(body, { level: 6 }) },
        iterations,
        1,
        rounds,
      );
      for (const level of [1, 6]) {
        figures[`${label}.level${level}.ms`] = round2(cpu[`level${level}`]! / iterations);
        figures[`${label}.level${level}.ratio`] = round2(body.length / gzipSync(body, { level }).length);
      }
      const bulk = await compare({ plain: () => plain.bulk(stmt, bulkArgs), gzip: () => gzipped.bulk(stmt, bulkArgs) }, iterations, 1, rounds);
      figures[`${label}.bulk.plain.ms`] = round2(bulk.plain! / iterations);
      figures[`${label}.bulk.gzip.ms`] = round2(bulk.gzip! / iterations);
    }
  } finally {
    await plain.close();
    await gzipped.close();
  }
  return figures;
}
