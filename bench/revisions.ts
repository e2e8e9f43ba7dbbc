/**
 * `BENCH_BASE=<git revision> npm run bench:revisions`: this checkout against another revision, in one run, on the
 * figures a refactoring must not lose: the ratios to the HTTP floor of a prepared one-row select, a 10,000-row select
 * and a 10,000-row bulk insert. The other revision is checked out into a temporary worktree that shares this
 * checkout's node_modules; each revision runs in processes of its own, taking turns, against one bench server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBenchServer } from './driver.js';
import { summarize } from './stats.js';

const root = resolve(import.meta.dirname, '..');
const base = process.env.BENCH_BASE;
if (!base) throw new Error('bench:revisions: set BENCH_BASE to the git revision to compare against, e.g. BENCH_BASE=HEAD~5');
const runs = Number(process.env.BENCH_RUNS ?? 4);

const folder = mkdtempSync(join(tmpdir(), 'drizzle-cratedb-base-'));
const baseTree = join(folder, 'tree');
execFileSync('git', ['worktree', 'add', '--detach', baseTree, base], { cwd: root, stdio: 'ignore' });
symlinkSync(join(root, 'node_modules'), join(baseTree, 'node_modules'));
const baseName = execFileSync('git', ['rev-parse', '--short', base], { cwd: root, encoding: 'utf8' }).trim();
const headName = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();

const server = await startBenchServer({ isolation: 'process' });
const trees = { [baseName]: baseTree, [`${headName} (this checkout)`]: root };
const results: Record<string, Record<string, number>[]> = {};
try {
  for (let run = 0; run < runs; run++) {
    for (const [name, tree] of run % 2 === 0 ? Object.entries(trees) : Object.entries(trees).reverse()) {
      (results[name] ??= []).push(await worker(tree, server.url));
    }
  }
} finally {
  await server.close();
  execFileSync('git', ['worktree', 'remove', '--force', baseTree], { cwd: root, stdio: 'ignore' });
  rmSync(folder, { recursive: true, force: true });
}

const pairs = [
  ['one row, prepared', 'prepared1', 'floor1'],
  ['10,000 rows', 'select10k', 'floor10k'],
  ['bulk insert, 10,000 rows', 'bulk', 'floorBulk'],
] as const;
console.log(`ratio to the HTTP floor (median of ${runs} runs per revision, each the median of its rounds)\n`);
console.log(['workload', ...Object.keys(results)].join(' | '));
for (const [label, path, floor] of pairs) {
  const cells = Object.values(results).map((runsOf) => summarize(runsOf.map((medians) => medians[path]! / medians[floor]!)).median.toFixed(2));
  console.log([label, ...cells].join(' | '));
}

function worker(tree: string, url: string): Promise<Record<string, number>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench', 'revision-worker.ts')], {
      env: { ...process.env, BENCH_URL: url, BENCH_SRC: join(tree, 'src', 'index.ts') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise((JSON.parse(out.trim().split('\n').pop()!) as { medians: Record<string, number> }).medians) : reject(new Error(`revision worker for ${tree} exited with ${code}`))));
  });
}
