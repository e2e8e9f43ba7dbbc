/**
 * `npm run bench` (node --expose-gc --import tsx bench/run.ts): the read and write benchmarks against the bench
 * protocol server, the write benchmark against a real CrateDB when CRATEDB_URL is set, and the relational query
 * benchmark against that CrateDB (or, without one, the in-process table server), and the same workload on both
 * Drizzle lines (bench/lines.ts), each in processes of its own. Prints tables and the
 * targets, and writes every figure to bench/results.json.
 *
 * `BENCH_ONLY=hedging npm run bench`: only hedged reads on and off (bench/hedge.ts), on the real CrateDB with
 * CRATEDB_URL, else on the bench protocol server; figures in bench/results.hedging.json.
 *
 * Environment: CRATEDB_URL=http://localhost:4200 adds the real-server part; BENCH_QUICK=1 shrinks every run (a smoke
 * test, figures not meaningful); BENCH_CRATEDB_ROUNDS sets the rounds on the real server (default 2).
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CrateClient } from '../src/index.js';
import { benchCompression, startBenchServer } from './driver.js';
import { collectGarbage } from './memory.js';
import { benchRead } from './read.js';
import { benchLines } from './lines.js';
import { benchFiles } from './files.js';
import { benchHedging, hedgingText, type HedgeResults } from './hedge.js';
import { benchPeers } from './peers.js';
import { benchStreaming } from './streaming.js';
import { benchRelational } from './relational.js';
import { benchObservability, observabilityText } from './observability.js';
import { environmentText, filesText, linesText, peersText, streamingText, readText, relationalText, targetsText, writeText, type BenchResults, type Environment } from './report.js';
import { checkReadSchema } from './schema.js';
import { benchTransports, transportsText, type TransportResults } from './transports.js';
import { benchWrite, type WriteOptions } from './write.js';

const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

const sectionSeconds: Record<string, number> = {};

async function timed<T>(section: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    sectionSeconds[section] = Math.round((performance.now() - started) / 100) / 10;
  }
}

/**
 * `BENCH_ONLY=transports npm run bench`: only undici vs fetch (bench/transports.ts), on the bench protocol server and,
 * with CRATEDB_URL, on the real CrateDB; figures in bench/results.transports.json.
 */
async function transportsOnly(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const server = await startBenchServer({ isolation: 'process' });
  const results: TransportResults[] = [];
  try {
    results.push(await benchTransports({ url: server.url, server: 'protocol', scale: quick ? 0.25 : 1 }));
    console.log(`${transportsText(results[0]!)}\n`);
  } finally {
    await server.close();
  }
  const cratedbUrl = process.env.CRATEDB_URL;
  if (cratedbUrl) {
    results.push(await benchTransports({ url: cratedbUrl, server: 'cratedb', scale: quick ? 0.25 : 1 }));
    console.log(`${transportsText(results[1]!)}\n`);
  }
  const file = fileURLToPath(new URL('./results.transports.json', import.meta.url));
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
  console.log(`every figure in ${file}`);
}

/** Hedged reads on and off, where the run has its healthy single node: the real CrateDB if there is one. */
async function hedging(protocolUrl: string | undefined, quick: boolean): Promise<HedgeResults> {
  const cratedbUrl = process.env.CRATEDB_URL;
  const scale = quick ? 0.25 : 1;
  if (cratedbUrl) return benchHedging({ url: cratedbUrl, server: 'cratedb', scale });
  if (protocolUrl) return benchHedging({ url: protocolUrl, server: 'protocol', scale });
  const server = await startBenchServer({ isolation: 'process' });
  try {
    return await benchHedging({ url: server.url, server: 'protocol', scale });
  } finally {
    await server.close();
  }
}

async function hedgingOnly(): Promise<void> {
  const results = await hedging(undefined, process.env.BENCH_QUICK === '1');
  console.log(`${hedgingText(results)}
`);
  const file = fileURLToPath(new URL('./results.hedging.json', import.meta.url));
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadAverage: loadavg(), results }, null, 2)}
`);
  console.log(`every figure in ${file}`);
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'transports') return transportsOnly();
  if (process.env.BENCH_ONLY === 'hedging') return hedgingOnly();
  const started = performance.now();
  if (!collectGarbage()) {
    console.warn('warning: global.gc() is not available (run with node --expose-gc); memory baselines will be noisy\n');
  }
  checkReadSchema();
  const quick = process.env.BENCH_QUICK === '1';
  const cratedbUrl = process.env.CRATEDB_URL || undefined;
  const environment: Environment = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    totalMemoryGB: totalmem() / 1024 ** 3,
    loadAverageAtStart: loadavg(),
    cratedbUrl,
    cratedbVersion: undefined,
  };
  if (cratedbUrl) {
    const probe = new CrateClient({ servers: cratedbUrl });
    try {
      environment.cratedbVersion = (await probe.serverInfo()).version;
    } finally {
      await probe.close();
    }
  }
  console.log(`${environmentText(environment)}${quick ? '\nBENCH_QUICK=1: shortened runs, figures are not meaningful' : ''}\n`);

  const writeDefaults = { rows: quick ? 10_000 : 100_000, chunkSize: 5_000, perRowConcurrency: 4 };

  // A child process, not a worker thread: the server's buffers must not count in this process's rss.
  const server = await startBenchServer({ isolation: 'process' });
  let read: BenchResults['read'];
  let hedged: HedgeResults;
  let protocol: BenchResults['write']['protocol'];
  let compression: BenchResults['compression'];
  let lines: BenchResults['lines'];
  let observability: BenchResults['observability'];
  try {
    read = await timed('read', () => benchRead(server.url, { scale: quick ? 0.25 : 1 }));
    console.log(`${readText(read)}\n`);
    // What the diagnostics channels cost with no subscriber, and what the OpenTelemetry bridge adds.
    observability = await timed('observability', () => benchObservability(server.url, { scale: quick ? 0.25 : 1, rounds: quick ? 3 : 9 }));
    console.log(`${observabilityText(observability)}\n`);
    hedged = await timed('hedging', () => hedging(server.url, quick));
    console.log(`${hedgingText(hedged)}\n`);
    const options: WriteOptions = {
      ...writeDefaults,
      url: server.url,
      server: 'protocol',
      perRowSample: quick ? 1_000 : 5_000,
      // Two rounds: the values() path alone takes ~10 s per round here, and the whole run should stay under a minute.
      rounds: quick ? 1 : 2,
    };
    protocol = await timed('writeProtocol', () => benchWrite(options));
    console.log(`${writeText(protocol)}\n`);
    // The basis of the client's default: gzip request bodies above 8 KiB.
    compression = await timed('compression', () => benchCompression(server.url, quick ? 1 : 5));
    console.log(`gzip of bulk request bodies (ms per body; loopback bulk() ms plain vs gzip):`);
    console.log(`${Object.entries(compression).map(([key, value]) => `  ${key} ${value}`).join('\n')}\n`);
    // The same workload on both Drizzle lines, each in processes of its own.
    lines = await timed('lines', () => benchLines({ url: server.url, runs: quick ? 1 : 4, rounds: quick ? 2 : 5, scale: quick ? 0.25 : 1 }));
    console.log(`${linesText(lines)}\n`);
  } finally {
    await server.close();
  }

  let cratedb: BenchResults['write']['cratedb'];
  if (cratedbUrl) {
    const options: WriteOptions = {
      ...writeDefaults,
      url: cratedbUrl,
      server: 'cratedb',
      perRowSample: quick ? 500 : 3_000,
      rounds: quick ? 1 : Number(process.env.BENCH_CRATEDB_ROUNDS ?? 2),
    };
    cratedb = await timed('writeCratedb', () => benchWrite(options));
    console.log(`${writeText(cratedb)}\n`);
  } else {
    const skipped = 'real-server write benchmark skipped: CRATEDB_URL is not set (run e.g. CRATEDB_URL=http://localhost:4200 npm run bench)';
    cratedb = { skipped };
    console.log(`${skipped}\n`);
  }

  // The same reads and writes through the clients a user would pick instead, on the real server only.
  let peers: BenchResults['peers'];
  if (cratedbUrl) {
    peers = await timed('peers', () =>
      benchPeers({
        url: cratedbUrl,
        scale: quick ? 0.25 : 1,
        readRounds: quick ? 2 : 7,
        writeRows: quick ? 10_000 : 100_000,
        writeRounds: quick ? 1 : Number(process.env.BENCH_CRATEDB_ROUNDS ?? 2),
      }),
    );
    console.log(`${peersText(peers)}\n`);
  } else {
    peers = { skipped: 'the peer comparison needs a real CrateDB: set CRATEDB_URL (and CRATEDB_PG_URL if its PostgreSQL port is not 5432)' };
    console.log(`${peers.skipped}\n`);
  }

  // A million rows read at once and through cursors; blobs and COPY. Real server only.
  let streaming: BenchResults['streaming'];
  let files: BenchResults['files'];
  if (cratedbUrl) {
    const rows = Number(process.env.BENCH_STREAM_ROWS ?? (quick ? 50_000 : 1_000_000));
    streaming = await timed('streaming', () => benchStreaming({ url: cratedbUrl, rows, runs: quick ? 1 : 2 }));
    console.log(`${streamingText(streaming)}\n`);
    files = await timed('files', () => benchFiles({ url: cratedbUrl, rounds: quick ? 1 : 3, copyRows: quick ? 10_000 : 100_000, scale: quick ? 0.25 : 1 }));
    console.log(`${filesText(files)}\n`);
  } else {
    streaming = { skipped: 'streaming needs a real CrateDB (cursors): set CRATEDB_URL' };
    files = { skipped: 'blobs and COPY need a real CrateDB: set CRATEDB_URL' };
    console.log(`${streaming.skipped}\n${files.skipped}\n`);
  }

  // findMany with two levels of `with` against one query per parent: on the real server when there is one.
  const relational = await timed('relational', () =>
    benchRelational({
      url: cratedbUrl,
      users: quick ? 200 : 1_000,
      postsPerUser: 20,
      rounds: quick ? 2 : 5,
      naiveRounds: 1,
      naiveConcurrency: 8,
    }),
  );
  console.log(`${relationalText(relational)}\n`);

  const targets = [...read.targets, ...protocol.targets, ...('targets' in cratedb ? cratedb.targets : [])];
  if (!('targets' in cratedb)) {
    targets.push({
      id: 'write.cratedb.bulkVsPerRow',
      title: 'bulk / one insert per row, real CrateDB',
      value: Number.NaN,
      threshold: 10,
      met: null,
      note: 'not measured: needs CRATEDB_URL',
    });
  }
  console.log(targetsText(targets));

  const results: BenchResults = {
    environment,
    read,
    hedging: hedged,
    write: { protocol, cratedb },
    relational,
    peers,
    streaming,
    files,
    lines,
    observability,
    compression,
    targets,
    durationSeconds: Math.round((performance.now() - started) / 100) / 10,
    sectionSeconds,
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const sections = Object.entries(sectionSeconds).map(([name, seconds]) => `${name} ${seconds} s`).join(', ');
  console.log(`\n${results.durationSeconds} s (${sections}); every figure in ${RESULTS_FILE}`);
}

await main();
