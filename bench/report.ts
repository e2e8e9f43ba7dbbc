/**
 * Renders results as text tables for stdout and as the JSON written to bench/results.json. Figures are medians over
 * rounds; "p25–p75" and "spread" (interquartile range over the median) say how much to trust a difference.
 */
import type { ObservabilityResults } from './observability.js';
import type { LineResults } from './lines.js';
import type { FileResults } from './files.js';
import type { HedgeResults } from './hedge.js';
import { STREAM_CONTENDERS, type StreamContender, type StreamResults } from './streaming.js';
import { PEER_READERS, PEER_WRITERS, type PeerReader, type PeerResults, type PeerWriter } from './peers.js';
import { READ_CONTENDERS, type ReadResults } from './read.js';
import type { RelationalContender, RelationalResults } from './relational.js';
import type { Summary } from './stats.js';
import type { Target } from './targets.js';
import { WRITE_PATHS, type WriteResults } from './write.js';

export interface Environment {
  date: string;
  node: string;
  v8: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  totalMemoryGB: number;
  loadAverageAtStart: number[];
  cratedbUrl: string | undefined;
  cratedbVersion: string | undefined;
}

export interface BenchResults {
  environment: Environment;
  read: ReadResults;
  /** Hedged reads on and off on a healthy single node (bench/hedge.ts). */
  hedging: HedgeResults;
  write: { protocol: WriteResults; cratedb: WriteResults | { skipped: string } };
  relational: RelationalResults;
  /** The same reads and writes on a real CrateDB through the clients a user would pick instead. */
  peers: PeerResults | { skipped: string };
  /** A result of a million rows read at once, by a cursor through Drizzle, and by a cursor without it. */
  streaming: StreamResults | { skipped: string };
  /** Blob put/get and COPY FROM against bulkInsert. */
  files: FileResults | { skipped: string };
  /** The same workload on drizzle-orm 0.45 and on drizzle-orm v1, run for run. */
  lines: LineResults;
  /** One-row prepared select with the diagnostics channels removed, in place without subscriber, and with the OTel bridge. */
  observability: ObservabilityResults;
  /** gzip of bulk request bodies: CPU ms and size ratio per level, loopback bulk() time with and without. */
  compression: Record<string, number>;
  targets: Target[];
  durationSeconds: number;
  sectionSeconds: Record<string, number>;
}

const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits = 2): string => value.toFixed(digits);

function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < alignLeft ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const range = (s: Summary): string => `${int(s.p25)}–${int(s.p75)}`;

export function environmentText(env: Environment): string {
  return [
    `drizzle-cratedb benchmark, ${env.date}`,
    `node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cpus}× ${env.cpuModel}, ${fixed(env.totalMemoryGB, 1)} GB, ` +
      `load average at start ${env.loadAverageAtStart.map((l) => fixed(l)).join(' ')}`,
    env.cratedbUrl ? `CrateDB ${env.cratedbVersion ?? '?'} at ${env.cratedbUrl}` : 'CrateDB: none (CRATEDB_URL not set)',
  ].join('\n');
}

export function readText(read: ReadResults): string {
  const parts: string[] = ['READ — bench protocol server (in a child process, answers from pre-serialized bodies)'];
  for (const s of read.scenarios) {
    const rows = (Object.keys(READ_CONTENDERS) as (keyof typeof READ_CONTENDERS)[]).map((contender) => {
      const f = s.figures[contender];
      return [READ_CONTENDERS[contender], int(f.median), range(f), `${fixed(f.spreadPct, 1)}%`, fixed(f.median / s.figures.raw.median)];
    });
    parts.push(
      `\n${s.title}: ${s.unit}, median of ${s.rounds} rounds × ${s.iterations} queries, contenders interleaved`,
      table(['contender', s.unit, 'p25–p75', 'spread', 'vs floor'], rows),
    );
    const r = s.ratios;
    const show = (label: string, ratio: { value: number; roundP25: number; roundP75: number }) =>
      `${label} ${fixed(ratio.value)} (per round ${fixed(ratio.roundP25)}–${fixed(ratio.roundP75)})`;
    parts.push(
      [
        show('  (a)/(c)', r.drizzleVsRaw),
        show('  (a-prepared)/(c)', r.drizzlePreparedVsRaw),
        show('  (b)/(c)', r.clientVsRaw),
        show('  (b)/(d)', r.clientVsNodeCrate),
        show('  (b)/(d-json)', r.clientVsNodeCrateJson),
        show('  (c)/(d)', r.rawVsNodeCrate),
      ].join('\n'),
    );
  }
  const b = read.breakdown;
  parts.push(
    '\nWhere a 10,000-row db.select() spends its client time (ms per result, one body, no network):',
    `  JSON.parse ${fixed(b.jsonParseMs)} · unsafe-integer scan ${fixed(b.unsafeIntegerScanMs)} · decodeRows (timestamps → Date) ` +
      `${fixed(b.decodeRowsMs)} · Drizzle row mapping ${fixed(b.drizzleRowMappingMs)}`,
    `One-row db.select(): building the query into SQL takes ${fixed(b.buildOneRowQueryUs, 1)} µs per query ` +
      `(pg-core's QueryBuilder on an equivalent pgTable: ${fixed(b.buildOneRowQueryPgCoreUs, 1)} µs).`,
  );
  return parts.join('\n');
}

export function writeText(write: WriteResults): string {
  const where = write.server === 'cratedb' ? `real CrateDB ${write.serverVersion ?? ''}` : 'bench protocol server (acknowledges, stores nothing)';
  const rows = (Object.keys(WRITE_PATHS) as (keyof typeof WRITE_PATHS)[]).map((path) => {
    const p = write.paths[path];
    const sent = p.extrapolated ? `${int(p.rowsSent)} (sample, c=${p.concurrency})` : int(p.rowsSent);
    const time = `${fixed(p.secondsForAllRows, 1)} s${p.extrapolated ? ' (extrap.)' : ''}`;
    return [
      p.title,
      sent,
      int(p.rowsPerSec.median),
      range(p.rowsPerSec),
      time,
      fixed(p.cpuMsPer1000Rows, 1),
      fixed(p.memory.peakHeapMB, 1),
      fixed(p.memory.peakRssMB, 1),
      p.verifiedRows.every((n) => n === p.rowsSent) ? 'yes' : 'NO',
    ];
  });
  const shards = write.tableShards === undefined ? '' : `, ${write.tableShards} shards, 0 replicas`;
  const r = write.ratios;
  return [
    `WRITE — ${int(write.rows)} rows × 10 columns, ${where}; chunks of ${int(write.chunkSize)} rows${shards}; median of ${write.rounds} round(s), paths interleaved`,
    table(
      ['path', 'rows sent', 'rows/s', 'p25–p75', `time for ${int(write.rows)}`, 'CPU ms/1k rows', 'peak heap MB', 'peak rss MB', 'all rows written'],
      rows,
    ),
    `  bulk / per-row ${fixed(r.bulkVsPerRow.value, 1)} · values / per-row ${fixed(r.valuesVsPerRow.value, 1)} · bulk / values ${fixed(r.bulkVsValues.value)}`,
    ...(write.valuesBreakdown ? [valuesBreakdownText(write.valuesBreakdown)] : []),
    '  One insert per row: only the sample was sent; its rate is extrapolated to all rows. Peak memory is over a',
    '  baseline taken after gc() (the input rows already exist); rss rarely shrinks once grown, so heap is the better guide.',
  ].join('\n');
}

function valuesBreakdownText(b: NonNullable<WriteResults['valuesBreakdown']>): string {
  return (
    `  values() client time: drizzle-orm renders a ${int(b.chunkRows)}-row INSERT (${int(b.statementChars)} chars of SQL) in ` +
    `${fixed(b.renderMsPer1000Rows, 1)} ms per 1,000 rows;\n  one values() call makes ${b.rendersPerChunk} sqlToQuery calls ` +
    `(length check, each part again to check it fits, each part again to send), rendering every row ` +
    `${fixed(b.rowsRenderedPerRow, 1)}×, for ${b.statementsPerChunk} statement(s).`
  );
}

export function relationalText(r: RelationalResults): string {
  const where = r.server === 'cratedb' ? `real CrateDB ${r.serverVersion ?? ''}` : 'in-process table server (a request costs far less than on a network)';
  const row = (c: RelationalContender, note = '') => [
    c.title + note,
    int(c.requests),
    int(c.rowsReceived),
    fixed(c.ms.median, 1),
    `${fixed(c.ms.p25, 1)}–${fixed(c.ms.p75, 1)}`,
    String(c.ms.n),
  ];
  const rows = [row(r.findMany), row(r.naive, ` (${r.naive.concurrency} in flight)`)];
  const limit = r.perParentLimit;
  if (limit) rows.push(row(limit.window), row(limit.client));
  return [
    `RELATIONAL — ${int(r.users)} users, ${int(r.posts)} posts, ${int(r.comments)} comments, ${where}; medians`,
    table(['contender', 'requests', 'rows received', 'ms', 'p25–p75', 'runs'], rows),
    `  one query per parent / findMany: ${fixed(r.ratios.wallTime.value, 1)}× the wall time, ${fixed(r.ratios.requests, 0)}× the requests`,
    ...(limit
      ? [`  per-parent limit cut on the client / by row_number(): ${fixed(limit.clientVsWindow.value)}× the wall time (row_number() is the default)`]
      : ['  per-parent limit strategies: measured on a real CrateDB only (set CRATEDB_URL)']),
  ].join('\n');
}

export function linesText(r: LineResults): string {
  const rows = Object.values(r.figures).map((f) => [
    f.title,
    int(f['0.45'].median),
    int(f.v1.median),
    `${fixed(f.v1VsV045.value)}×`,
    `${fixed(f.v1VsV045.roundP25)}–${fixed(f.v1VsV045.roundP75)}`,
  ]);
  return [
    `DRIZZLE LINES — drizzle-orm ${r.drizzleOrm['0.45']} against ${r.drizzleOrm.v1}, ${r.runsPerLine} runs per line (alternating processes), ${r.roundsPerRun} rounds each; rates, higher is better`,
    table(['workload', '0.45', 'v1', 'v1 / 0.45', 'per-run'], rows),
    `  10,000-row db.select() as a fraction of its run's floor: 0.45 ${fixed(r.select10kOfFloor['0.45'].median)}, v1 ${fixed(r.select10kOfFloor.v1.median)} ` +
      `(v1 / 0.45 ${fixed(r.select10kOfFloor.v1VsV045.value)}, per run ${fixed(r.select10kOfFloor.v1VsV045.roundP25)}–${fixed(r.select10kOfFloor.v1VsV045.roundP75)})`,
  ].join('\n');
}

export function targetsText(targets: Target[]): string {
  const lines = targets.map((t) => {
    const verdict = t.met === null ? 'SKIPPED' : t.met ? 'MET    ' : 'NOT MET';
    const figure = Number.isNaN(t.value) ? 'not measured' : fixed(t.value);
    const head = `  ${verdict}  ${t.title}: ${figure} (target ≥ ${t.threshold})`;
    return t.note ? `${head}\n           ${t.note}` : head;
  });
  return ['TARGETS', ...lines].join('\n');
}

export function peersText(r: PeerResults): string {
  const parts = [
    `PEERS — real CrateDB ${r.serverVersion ?? ''} at ${r.server}, every contender in one run, interleaved; "vs floor" is the rate over undici + JSON.parse`,
  ];
  if ('skipped' in r.pgWire) parts.push(`  PG-wire contenders left out: ${r.pgWire.skipped}`);
  for (const s of r.read) {
    const rows = (Object.keys(PEER_READERS) as PeerReader[])
      .filter((c) => s.figures[c])
      .map((c) => {
        const f = s.figures[c]!;
        const v = s.vsFloor[c]!;
        return [PEER_READERS[c], int(f.median), range(f), `${fixed(f.spreadPct, 1)}%`, fixed(v.value), `${fixed(v.roundP25)}–${fixed(v.roundP75)}`];
      });
    parts.push(`\n${s.title}: ${s.unit}, median of ${s.rounds} rounds × ${s.iterations} queries`, table(['contender', s.unit, 'p25–p75', 'spread', 'vs floor', 'per round'], rows));
  }
  const w = r.write;
  const rows = (Object.keys(PEER_WRITERS) as PeerWriter[])
    .filter((c) => w.figures[c])
    .map((c) => {
      const f = w.figures[c]!;
      return [f.title, int(f.rowsPerSec.median), range(f.rowsPerSec), fixed(f.vsFloor.value), fixed(f.cpuMsPer1000Rows, 1), fixed(f.peakHeapMB, 1), f.verifiedRows.every((n) => n === w.rows) ? 'yes' : 'NO'];
    });
  parts.push(
    `\nWRITE ${int(w.rows)} rows × 10 columns, a fresh table per contender and round (${w.rounds} rounds); HTTP chunks of ${int(w.chunkSize)}, PG-wire multi-row INSERTs of ${int(w.pgChunkSize)}`,
    table(['contender', 'rows/s', 'p25–p75', 'vs floor', 'CPU ms/1k rows', 'peak heap MB', 'all rows stored'], rows),
  );
  return parts.join('\n');
}

export function streamingText(r: StreamResults): string {
  const rows = (Object.keys(STREAM_CONTENDERS) as StreamContender[]).map((c) => {
    const f = r.figures[c];
    return [f.title, int(f.rowsPerSec.median), range(f.rowsPerSec), fixed(f.peakHeapMB, 1), fixed(f.peakRssMB, 1), f.rowsSeen.every((n) => n === r.rows) ? 'yes' : 'NO'];
  });
  return [
    `STREAMING — ${int(r.rows)} rows × 10 columns from a real CrateDB, ${r.runs} run(s), each in a process of its own`,
    table(['contender', 'rows/s', 'p25–p75', 'peak heap MB', 'peak rss MB', 'every row'], rows),
    `  with the heap capped at 64 MB: ${(Object.keys(STREAM_CONTENDERS) as StreamContender[]).map((c) => `${STREAM_CONTENDERS[c]}: ${r.underHeapCap[c].completed ? 'every row' : r.underHeapCap[c].outcome}`).join('; ')}`,
    `  peak heap, one response / iterator: ${fixed(r.figures.execute.peakHeapMB / r.figures.iterator.peakHeapMB, 1)}×; ` +
      `rate, iterator / one response: ${fixed(r.figures.iterator.rowsPerSec.median / r.figures.execute.rowsPerSec.median)}`,
  ].join('\n');
}

export function filesText(r: FileResults): string {
  const rows = r.blobs.map((b) => [
    `${b.size >= 1024 * 1024 ? `${b.size / 1024 / 1024} MiB` : `${b.size / 1024} KiB`} × ${b.count}`,
    fixed(b.putMBps.median, 1),
    fixed(b.floorPutMBps.median, 1),
    fixed(b.putVsFloor.value),
    fixed(b.getMBps.median, 1),
    fixed(b.floorGetMBps.median, 1),
    fixed(b.getVsFloor.value),
  ]);
  const parts = [
    'BLOBS — MB/s one at a time, real CrateDB; the floor is one undici request with the digest already known',
    table(['blobs', 'put', 'floor put', 'vs floor', 'getBuffer', 'floor get', 'vs floor'], rows),
  ];
  if ('skipped' in r.copy) parts.push(`COPY FROM: skipped (${r.copy.skipped})`);
  else {
    parts.push(
      `COPY FROM a JSON-lines file of ${int(r.copy.rows)} rows against bulkInsert() of the same rows: ` +
        `${int(r.copy.copyFromRowsPerSec.median)} against ${int(r.copy.bulkInsertRowsPerSec.median)} rows/s (${fixed(r.copy.copyVsBulk.value)}×)`,
    );
  }
  return parts.join('\n');
}
