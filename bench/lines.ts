/**
 * Drizzle 0.45 against Drizzle v1, the same workload (bench/line-worker.ts) on each line in one `npm run bench`.
 * A process cannot hold both drizzle-orm lines under one name, so each run is a child process; the lines take turns,
 * starting with a different one each round, and a round's two runs are paired in the ratios, as the other benchmarks
 * pair contenders inside a round. Each run also measures the raw floor in its own process, so a figure can be read
 * against what the machine gave that process.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { devAliases, lineById } from '../src/lines/manifest.js';
import { ratio, summarize, type Ratio, type Summary } from './stats.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

export const LINE_TASKS = {
  select1: 'one-row db.select() over HTTP (queries/s)',
  select10k: '10,000-row db.select() over HTTP (rows/s)',
  raw10k: 'undici + JSON.parse of the same 10,000 rows: the floor (rows/s)',
  map10k: '10,000-row db.select(), server answer already decoded: the line\'s own work (rows/s)',
  build1: 'building the one-row query into SQL (queries/s)',
  build1PgCore: 'the same query on a pg-core table, pg-core QueryBuilder: drizzle-orm alone (queries/s)',
  findMany: 'findMany() users → posts → comments, 200 users, 4,000 posts, in-process table server (runs/s)',
} as const;
export type LineTask = keyof typeof LINE_TASKS;

export interface LineResults {
  drizzleOrm: Record<'0.45' | 'v1', string>;
  runsPerLine: number;
  roundsPerRun: number;
  figures: Record<LineTask, { title: string; '0.45': Summary; v1: Summary; v1VsV045: Ratio }>;
  /**
   * The 10,000-row select as a fraction of the floor measured in the same run: separate processes get different
   * shares of a shared machine (the floor itself varies between runs), and this figure cancels that out.
   */
  select10kOfFloor: { '0.45': Summary; v1: Summary; v1VsV045: Ratio };
}

export interface LineOptions {
  /** The bench protocol server. */
  url: string;
  /** Runs per line (child processes); the lines alternate. */
  runs: number;
  /** Rounds inside each run. */
  rounds: number;
  scale: number;
}

export async function benchLines(options: LineOptions): Promise<LineResults> {
  const samples: Record<'0.45' | 'v1', Record<string, number>[]> = { '0.45': [], v1: [] };
  for (let i = 0; i < options.runs; i++) {
    const order = i % 2 === 0 ? (['0.45', 'v1'] as const) : (['v1', '0.45'] as const);
    for (const line of order) samples[line].push(await runLine(line, options));
  }
  const figures = Object.fromEntries(
    (Object.keys(LINE_TASKS) as LineTask[]).map((task) => {
      const series = (line: '0.45' | 'v1') => samples[line].map((medians) => medians[task]!);
      return [task, { title: LINE_TASKS[task], '0.45': summarize(series('0.45')), v1: summarize(series('v1')), v1VsV045: ratio(series('v1'), series('0.45')) }];
    }),
  ) as LineResults['figures'];
  const ofFloor = (line: '0.45' | 'v1') => samples[line].map((medians) => medians['select10k']! / medians['raw10k']!);
  return {
    drizzleOrm: { '0.45': await versionOf(lineById('0.45').packages['drizzle-orm'].dev), v1: await versionOf(lineById('v1').packages['drizzle-orm'].dev) },
    runsPerLine: options.runs,
    roundsPerRun: options.rounds,
    figures,
    select10kOfFloor: { '0.45': summarize(ofFloor('0.45')), v1: summarize(ofFloor('v1')), v1VsV045: ratio(ofFloor('v1'), ofFloor('0.45')) },
  };
}

async function runLine(line: '0.45' | 'v1', options: LineOptions): Promise<Record<string, number>> {
  // The line's packages through the resolve hook the tests use, as src/lines/manifest.ts names them.
  const aliases = devAliases(lineById(line));
  const hook = pathToFileURL(resolve(root, 'tests/support/line-hook.mjs')).href;
  const args = ['--expose-gc', '--import', 'tsx', ...(Object.keys(aliases).length > 0 ? ['--import', hook] : []), resolve(root, 'bench/line-worker.ts')];
  const env = {
    ...process.env,
    DRIZZLE_CRATEDB_LINE_PACKAGES: JSON.stringify(aliases),
    BENCH_LINE: line,
    BENCH_URL: options.url,
    BENCH_ROUNDS: String(options.rounds),
    BENCH_SCALE: String(options.scale),
  };
  const { stdout } = await run(process.execPath, args, { cwd: root, env, maxBuffer: 1 << 20 });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(last) as { line: string; medians: Record<string, number> };
  if (parsed.line !== line) throw new Error(`line bench: asked for ${line}, the run reports ${parsed.line}`);
  return parsed.medians;
}

async function versionOf(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (JSON.parse(await readFile(resolve(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
