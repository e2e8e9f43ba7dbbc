/**
 * Write benchmark: 100,000 rows of 10 columns through
 *   values   one multi-row `db.insert(t).values(chunk)` per chunk of rows (split further by the package when a
 *            statement would pass CrateDB's 256 KiB statement_max_length)
 *   bulk     `db.bulkInsert(t, rows, { chunkSize })`: one statement, `bulk_args`, one request per chunk
 *   perRow   `db.insert(t).values(row)` once per row, a few in flight; only a sample of the rows is sent and the
 *            rate extrapolated, since all 100,000 would take minutes against a real server and add nothing
 * as rows/s with the client's peak memory and CPU time, against the bench protocol server or a real CrateDB.
 *
 * Every path is checked to have written exactly the rows it sent: the protocol server counts the rows each request
 * carried, and on a real CrateDB each path gets a fresh table that is refreshed and counted afterwards.
 */
import { sql, type SQL } from 'drizzle-orm';
import { dialectOf } from '../src/dialect/internals.js';
import { createTables, CrateClient, dropTables, drizzle, type CrateDB } from '../src/index.js';
import { withPeakMemory, type MemoryPeak } from './memory.js';
import { writeRow, writeTable, type WriteRow, type WriteTable } from './schema.js';
import { ratio, summarize, type Ratio, type Summary } from './stats.js';
import type { Target } from './targets.js';

export const WRITE_PATHS = {
  values: 'values() per chunk',
  bulk: 'bulkInsert()',
  perRow: 'one insert per row',
} as const;
type Path = keyof typeof WRITE_PATHS;
const PATHS = Object.keys(WRITE_PATHS) as Path[];

export interface WriteOptions {
  url: string;
  server: 'protocol' | 'cratedb';
  rows: number;
  /** Rows per values() call and per bulk request. */
  chunkSize: number;
  /** Rows the one-insert-per-row path sends, and how many of its inserts are in flight at once. */
  perRowSample: number;
  perRowConcurrency: number;
  rounds: number;
}

export interface WritePathResult {
  path: Path;
  title: string;
  /** Rows sent per round (the sample, for perRow). */
  rowsSent: number;
  concurrency: number;
  rowsPerSec: Summary;
  samples: number[];
  /** Seconds for all `rows` at the median rate: measured for values/bulk, extrapolated for perRow. */
  secondsForAllRows: number;
  extrapolated: boolean;
  /** Client CPU (user + system, all threads of this process) per 1,000 rows, median over rounds. */
  cpuMsPer1000Rows: number;
  /** Largest peak over the rounds. */
  memory: { peakHeapMB: number; peakRssMB: number; baselineHeapMB: number; baselineRssMB: number };
  /** Rows the server acknowledged (protocol server) or stored (CrateDB), per round; always equal to rowsSent. */
  verifiedRows: number[];
}

export interface WriteResults {
  server: 'protocol' | 'cratedb';
  serverVersion: string | undefined;
  rows: number;
  chunkSize: number;
  rounds: number;
  tableShards: number | undefined;
  paths: Record<Path, WritePathResult>;
  ratios: { bulkVsPerRow: Ratio; valuesVsPerRow: Ratio; bulkVsValues: Ratio };
  /** Where the values() path's client time goes (protocol server only). */
  valuesBreakdown: ValuesBreakdown | undefined;
  targets: Target[];
}

export interface ValuesBreakdown {
  chunkRows: number;
  /** Rendering one chunk-sized multi-row INSERT to SQL text + params (drizzle-orm's sqlToQuery), ms per 1,000 rows. */
  renderMsPer1000Rows: number;
  /** sqlToQuery calls during one `await db.insert(t).values(chunk)`. */
  rendersPerChunk: number;
  /** How many times each row is rendered on the way (SQL characters rendered / characters of the whole chunk). */
  rowsRenderedPerRow: number;
  /** Statements sent for one chunk (more than 1 when it passes statement_max_length and is split). */
  statementsPerChunk: number;
  /** Characters of SQL text a whole chunk renders to. */
  statementChars: number;
}

interface RoundFigures {
  rowsPerSec: number;
  cpuMs: number;
  memory: MemoryPeak;
  verified: number;
}

export async function benchWrite(options: WriteOptions): Promise<WriteResults> {
  const rows = Array.from({ length: options.rows }, (_, i) => writeRow(i));
  const db = drizzle({ client: new CrateClient({ servers: options.url }) });
  const perPath: Record<Path, RoundFigures[]> = { values: [], bulk: [], perRow: [] };
  let tableShards: number | undefined;
  let serverVersion: string | undefined;
  let valuesBreakdown: ValuesBreakdown | undefined;
  try {
    if (options.server === 'cratedb') serverVersion = (await db.$client.serverInfo()).version;
    // One untimed warm-up of each path on a small slice: JIT and connection set-up are not what is measured.
    for (const path of PATHS) {
      const warmupRows = path === 'perRow' ? Math.min(200, options.perRowSample) : Math.min(2 * options.chunkSize, 10_000);
      await runOnTable(db, options, path, 'warmup', rows.slice(0, warmupRows), false);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < PATHS.length; i++) {
        const path = PATHS[(round + i) % PATHS.length]!;
        const slice = path === 'perRow' ? rows.slice(0, options.perRowSample) : rows;
        const figures = await runOnTable(db, options, path, `r${round}`, slice, true);
        perPath[path].push(figures.round);
        tableShards ??= figures.shards;
      }
    }
    if (options.server === 'protocol') valuesBreakdown = await measureValuesBreakdown(db, writeTable('bench_write'), rows.slice(0, options.chunkSize));
  } finally {
    await db.$client.close();
  }

  const paths = Object.fromEntries(PATHS.map((path) => [path, summarizePath(path, perPath[path], options)])) as Record<Path, WritePathResult>;
  const ratios = {
    bulkVsPerRow: ratio(paths.bulk.samples, paths.perRow.samples),
    valuesVsPerRow: ratio(paths.values.samples, paths.perRow.samples),
    bulkVsValues: ratio(paths.bulk.samples, paths.values.samples),
  };
  return {
    server: options.server,
    serverVersion,
    rows: options.rows,
    chunkSize: options.chunkSize,
    rounds: options.rounds,
    tableShards,
    paths,
    ratios,
    valuesBreakdown,
    targets: writeTargets(options, ratios),
  };
}

/** Runs one path into its own table: a fresh one on CrateDB (created, then checked and dropped), a name on the protocol server. */
async function runOnTable(
  db: CrateDB,
  options: WriteOptions,
  path: Path,
  label: string,
  rows: WriteRow[],
  measure: boolean,
): Promise<{ round: RoundFigures; shards: number | undefined }> {
  const real = options.server === 'cratedb';
  const table = writeTable(real ? `bench_write_${path.toLowerCase()}_${process.pid}_${label}` : 'bench_write');
  if (real) await createTables(db, [table], { ifNotExists: false });
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const { result: acknowledged, memory } = await withPeakMemory(() => insertPath(db, table, path, rows, options));
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (acknowledged !== rows.length) {
      throw new Error(`write bench (${options.server}, ${path}): the server acknowledged ${acknowledged} of ${rows.length} rows`);
    }
    const verified = real ? await countStored(db, table, rows.length) : acknowledged;
    const shards = real && measure ? await shardsOf(db, table) : undefined;
    return { round: { rowsPerSec: (rows.length / elapsed) * 1000, cpuMs: (cpu.user + cpu.system) / 1000, memory, verified }, shards };
  } finally {
    if (real) await dropTables(db, [table]);
  }
}

/** Sends `rows` along one path; resolves to the number of rows the server reported written. */
async function insertPath(db: CrateDB, table: WriteTable, path: Path, rows: WriteRow[], options: WriteOptions): Promise<number> {
  switch (path) {
    case 'values': {
      let written = 0;
      for (let start = 0; start < rows.length; start += options.chunkSize) {
        const result = await db.insert(table).values(rows.slice(start, start + options.chunkSize));
        written += result.rowCount;
      }
      return written;
    }
    case 'bulk': {
      const result = await db.bulkInsert(table, rows, { chunkSize: options.chunkSize });
      if (result.failed.length > 0) {
        throw new Error(`write bench: bulkInsert failed ${result.failed.length} rows, first: ${result.failed[0]!.error.message}`);
      }
      return result.rowCount;
    }
    case 'perRow': {
      let next = 0;
      let written = 0;
      const lane = async (): Promise<void> => {
        while (next < rows.length) {
          const row = rows[next++]!;
          const result = await db.insert(table).values(row);
          written += result.rowCount;
        }
      };
      await Promise.all(Array.from({ length: options.perRowConcurrency }, lane));
      return written;
    }
  }
}

/**
 * Counts the renders and statements of one values() chunk by wrapping, on these instances only, the dialect's
 * sqlToQuery and the client's sql, and times one render on its own.
 */
async function measureValuesBreakdown(db: CrateDB, table: WriteTable, chunk: WriteRow[]): Promise<ValuesBreakdown> {
  const dialect = dialectOf<{ sqlToQuery(query: SQL): { sql: string } }>(db);
  const client = db.$client as unknown as { sql: (...args: unknown[]) => unknown };
  let renders = 0;
  let renderedChars = 0;
  let statements = 0;
  const render = dialect.sqlToQuery;
  const send = client.sql;
  dialect.sqlToQuery = function (this: unknown, query: SQL) {
    renders++;
    const result = render.call(this, query);
    renderedChars += result.sql.length;
    return result;
  };
  client.sql = function (this: unknown, ...args: unknown[]) {
    statements++;
    return send.apply(this, args);
  };
  try {
    await db.insert(table).values(chunk);
  } finally {
    delete (dialect as Partial<typeof dialect>).sqlToQuery;
    delete (client as Partial<typeof client>).sql;
  }
  const times: number[] = [];
  let statementChars = 0;
  for (let i = 0; i < 5; i++) {
    const query = (db.insert(table).values(chunk) as unknown as { getSQL(): SQL }).getSQL();
    const started = performance.now();
    statementChars = dialect.sqlToQuery(query).sql.length;
    times.push(performance.now() - started);
  }
  return {
    chunkRows: chunk.length,
    renderMsPer1000Rows: (summarize(times).median / chunk.length) * 1000,
    rendersPerChunk: renders,
    rowsRenderedPerRow: renderedChars / statementChars,
    statementsPerChunk: statements,
    statementChars,
  };
}

/** Refreshes the table and checks that it holds exactly rows 0..n-1: the count and the sum of ids must both match. */
async function countStored(db: CrateDB, table: WriteTable, expected: number): Promise<number> {
  await db.refresh(table);
  const result = await db.execute<{ n: number; s: number }>(sql`select count(*) as n, sum(${table.id}) as s from ${table}`);
  const n = Number(result.rows[0]?.n);
  const s = Number(result.rows[0]?.s);
  const expectedSum = (expected * (expected - 1)) / 2;
  if (n !== expected || s !== expectedSum) {
    throw new Error(`write bench: table holds ${n} rows (id sum ${s}), expected ${expected} (id sum ${expectedSum}): rows were lost or duplicated`);
  }
  return n;
}

async function shardsOf(db: CrateDB, table: WriteTable): Promise<number | undefined> {
  const name = (table as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')]!;
  const result = await db.execute<{ shards: number }>(
    sql`select number_of_shards as shards from information_schema.tables where table_name = ${name} and table_schema = current_schema()`,
  );
  const shards = result.rows[0]?.shards;
  return shards === undefined ? undefined : Number(shards);
}

function summarizePath(path: Path, rounds: RoundFigures[], options: WriteOptions): WritePathResult {
  const samples = rounds.map((r) => r.rowsPerSec);
  const rowsPerSec = summarize(samples);
  const rowsSent = path === 'perRow' ? options.perRowSample : options.rows;
  const peak = (pick: (m: MemoryPeak) => number) => Math.max(...rounds.map((r) => pick(r.memory)));
  return {
    path,
    title: WRITE_PATHS[path],
    rowsSent,
    concurrency: path === 'perRow' ? options.perRowConcurrency : 1,
    rowsPerSec,
    samples,
    secondsForAllRows: options.rows / rowsPerSec.median,
    extrapolated: path === 'perRow',
    cpuMsPer1000Rows: summarize(rounds.map((r) => (r.cpuMs / rowsSent) * 1000)).median,
    memory: {
      peakHeapMB: peak((m) => m.peakHeapMB),
      peakRssMB: peak((m) => m.peakRssMB),
      baselineHeapMB: summarize(rounds.map((r) => r.memory.baselineHeapMB)).median,
      baselineRssMB: summarize(rounds.map((r) => r.memory.baselineRssMB)).median,
    },
    verifiedRows: rounds.map((r) => r.verified),
  };
}

function writeTargets(options: WriteOptions, ratios: WriteResults['ratios']): Target[] {
  const value = ratios.bulkVsPerRow.value;
  // The issue sets the 10× target for the real server only; on the protocol server (which answers without doing
  // any work) the ratio only shows the client's own per-request cost, so it is reported but not judged.
  if (options.server !== 'cratedb') return [];
  return [
    {
      id: 'write.cratedb.bulkVsPerRow',
      title: 'bulk / one insert per row, real CrateDB',
      value,
      threshold: 10,
      met: value >= 10,
      note:
        `one-insert-per-row ran ${options.perRowConcurrency} inserts in flight over the first ${options.perRowSample} rows, ` +
        'bulk one request at a time: the comparison favours the per-row path',
    },
  ];
}
