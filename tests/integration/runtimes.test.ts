/**
 * The README's Quick start against the real CrateDB on other runtimes, with the package as built (dist/, resolved
 * through its export conditions): Bun, Deno (npm: specifiers), a Cloudflare Worker in workerd, and Vercel's
 * edge-runtime sandbox. Each must report the fetch transport and read back the row it wrote.
 *
 * The runtimes are not dependencies (together some 300 MB of binaries): the suite looks for them in
 * $DRIZZLE_CRATEDB_RUNTIMES (an npm prefix: `npm i --prefix <dir> bun deno workerd edge-runtime`), in this
 * project's node_modules/.bin and on PATH. A runtime that is not found, or no CrateDB, skips its test with the reason
 * in the test's name.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crateUrl, uniqueName } from '../support/crate.js';
import { currentLine, lineEntry } from '../support/lines.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const line = currentLine();
const entry = lineEntry(line);
const runtimesDir = process.env.DRIZZLE_CRATEDB_RUNTIMES;

/** An executable from $DRIZZLE_CRATEDB_RUNTIMES, node_modules/.bin or PATH. */
function locate(name: string): string | undefined {
  const dirs = [
    ...(runtimesDir ? [join(runtimesDir, 'node_modules', '.bin')] : []),
    join(root, 'node_modules', '.bin'),
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
  ];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** edge-runtime is a library: its folder, from the same places. */
function locateModule(name: string): string | undefined {
  const dirs = [...(runtimesDir ? [join(runtimesDir, 'node_modules')] : []), join(root, 'node_modules')];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(join(path, 'package.json')));
}

const INSTALL = 'install it with `npm i --prefix <dir> bun deno workerd edge-runtime` and set DRIZZLE_CRATEDB_RUNTIMES=<dir>';
const runtimes = {
  bun: locate('bun'),
  deno: locate('deno'),
  workerd: locate('workerd'),
  edgeRuntime: locateModule('edge-runtime'),
};

function skipReason(found: string | undefined, name: string): string | undefined {
  if (!crateUrl) return 'no CrateDB; set CRATEDB_URL';
  if (!found) return `${name} not found; ${INSTALL}`;
  return undefined;
}

function title(name: string, found: string | undefined): string {
  const reason = skipReason(found, name);
  if (reason === undefined) return `the Quick start runs on ${name} against CrateDB`;
  console.warn(`[runtimes] SKIPPED ${name}: ${reason}`);
  return `the Quick start runs on ${name} against CrateDB [SKIPPED: ${reason}]`;
}

let consumer: string;
const anyRuntime = Object.values(runtimes).some((found) => found !== undefined);

beforeAll(async () => {
  if (!crateUrl || !anyRuntime) return;
  consumer = mkdtempSync(join(tmpdir(), `drizzle-cratedb-runtimes-${line}-`));
  const modules = join(consumer, 'node_modules');
  mkdirSync(join(modules, 'drizzle-cratedb'), { recursive: true });
  cpSync(join(root, 'package.json'), join(modules, 'drizzle-cratedb', 'package.json'));
  // Built straight into the consumer, as `npm run build` would build dist/: not dist/ itself, which
  // tests/package.test.ts rebuilds at the same time.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const outDir = join(modules, 'drizzle-cratedb', 'dist');
  for (const config of ['tsconfig.build.json', 'tsconfig.build.v1.json']) await run(process.execPath, [tsc, '-p', config, '--outDir', outDir], { cwd: root });
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === 'drizzle-orm' || name === 'drizzle-orm-v1' || name === '.bin' || name === 'drizzle-cratedb') continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }
  symlinkSync(join(root, 'node_modules', line === 'v1' ? 'drizzle-orm-v1' : 'drizzle-orm'), join(modules, 'drizzle-orm'), 'dir');
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'runtimes-consumer', type: 'module', private: true, dependencies: { 'drizzle-cratedb': '*', 'drizzle-orm': '*' } }),
  );
  const quickStart = readFileSync(join(root, 'tests/runtimes/quickstart.mjs'), 'utf8').replace("'ENTRY'", `'${entry}'`);
  writeFileSync(join(consumer, 'quickstart.mjs'), quickStart);
  // Deno through npm: specifiers, resolved from this node_modules (--node-modules-dir=manual).
  writeFileSync(join(consumer, 'quickstart-deno.mjs'), quickStart.replace("from 'drizzle-orm'", "from 'npm:drizzle-orm'").replace(`'${entry}'`, `'npm:${entry}'`));
}, 300_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

interface Outcome {
  runtime: string;
  transport: string;
  found: { name: string; age: number; city: string }[];
  /** What the query channel published (`<summary> <outcome>`), or null where the runtime has no diagnostics_channel. */
  traced: string[] | null;
}

/**
 * `channels`: whether the runtime must publish on the diagnostics channels (it has node:diagnostics_channel) or must
 * not (it has none, and the Quick start runs all the same).
 */
function expectQuickStart(outcome: Outcome, table: string, channels: boolean): void {
  expect(outcome.transport).toBe('fetch');
  expect(outcome.found).toEqual([{ name: 'Arthur', age: 42, city: 'Cottington' }]);
  if (!channels) expect(outcome.traced).toBeNull();
  else expect(outcome.traced).toEqual(expect.arrayContaining([`INSERT ${table} success`, `SELECT ${table} success`]));
  console.info(
    `[runtimes] Quick start ran on ${outcome.runtime} (drizzle-orm ${line}) over ${outcome.transport}; diagnostics channels: ` +
      `${outcome.traced === null ? 'none' : outcome.traced.join(', ')}`,
  );
}

const call = (table: string) => `quickStart(${JSON.stringify(crateUrl)}, ${JSON.stringify(table)})`;
const tables = {
  bun: uniqueName('rt_bun'),
  deno: uniqueName('rt_deno'),
  workerd: uniqueName('rt_workerd'),
  workerdCompat: uniqueName('rt_workerd_compat'),
  edge: uniqueName('rt_edge'),
};

async function esbuild(entryFile: string, conditions: string[], format: 'esm' | 'iife'): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(consumer, entryFile)],
    absWorkingDir: consumer,
    bundle: true,
    write: false,
    format,
    platform: 'neutral',
    conditions,
    mainFields: ['module', 'main'],
    preserveSymlinks: true,
    logLevel: 'silent',
    ...(format === 'iife' && { globalName: 'smoke' }),
  });
  return result.outputFiles[0]!.text;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe(`other runtimes (drizzle-orm ${line})`, () => {
  it.skipIf(skipReason(runtimes.bun, 'bun') !== undefined)(title('bun', runtimes.bun), async () => {
    writeFileSync(
      join(consumer, 'bun-main.mjs'),
      `import { quickStart } from './quickstart.mjs';\nconsole.log(JSON.stringify({ runtime: 'Bun ' + Bun.version, ...(await ${call(tables.bun)}) }));\n`,
    );
    const { stdout } = await run(runtimes.bun!, ['bun-main.mjs'], { cwd: consumer, timeout: 60_000 });
    expectQuickStart(JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome, tables.bun, true);
  }, 90_000);

  it.skipIf(skipReason(runtimes.deno, 'deno') !== undefined)(title('deno', runtimes.deno), async () => {
    writeFileSync(
      join(consumer, 'deno-main.mjs'),
      `import { quickStart } from './quickstart-deno.mjs';\nconsole.log(JSON.stringify({ runtime: 'Deno ' + Deno.version.deno, ...(await ${call(tables.deno)}) }));\n`,
    );
    // Network access only: no --allow-env, no --allow-read, which undici would need.
    const { stdout } = await run(runtimes.deno!, ['run', '--quiet', '--node-modules-dir=manual', `--allow-net=${new URL(crateUrl!).host}`, 'deno-main.mjs'], {
      cwd: consumer,
      timeout: 60_000,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    expectQuickStart(JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome, tables.deno, true);
  }, 90_000);

  // Without nodejs_compat a Worker has no node:diagnostics_channel: the driver publishes nothing. With it, the same
  // events as on Node.js.
  it.skipIf(skipReason(runtimes.workerd, 'workerd') !== undefined).each([
    ['', false],
    [' with nodejs_compat', true],
  ] as const)(title('workerd (Cloudflare Workers)%s', runtimes.workerd), async (flavour, nodejsCompat) => {
    const table = nodejsCompat ? tables.workerdCompat : tables.workerd;
    const { stdout: version } = await run(runtimes.workerd!, ['--version']);
    writeFileSync(
      join(consumer, 'worker-main.mjs'),
      `import { quickStart } from './quickstart.mjs';\nexport default { async fetch() { return Response.json({ runtime: ${JSON.stringify(`${version.trim()}${flavour}`)}, ...(await ${call(table)}) }); } };\n`,
    );
    writeFileSync(join(consumer, 'worker.bundle.mjs'), await esbuild('worker-main.mjs', ['workerd', 'worker', 'browser'], 'esm'));
    const port = await freePort();
    writeFileSync(
      join(consumer, 'config.capnp'),
      [
        'using Workerd = import "/workerd/workerd.capnp";',
        'const config :Workerd.Config = (',
        '  services = [ (name = "main", worker = .worker), (name = "net", network = (allow = ["public", "private", "local"])) ],',
        `  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],`,
        ');',
        'const worker :Workerd.Worker = (',
        '  modules = [ (name = "worker", esModule = embed "worker.bundle.mjs") ],',
        '  compatibilityDate = "2025-01-01",',
        ...(nodejsCompat ? ['  compatibilityFlags = ["nodejs_compat"],'] : []),
        // Workers reach loopback addresses only through a network service that allows them.
        '  globalOutbound = "net",',
        ');',
      ].join('\n'),
    );
    const server: ChildProcess = spawn(runtimes.workerd!, ['serve', 'config.capnp'], { cwd: consumer, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      let answer: Response | undefined;
      for (let attempt = 0; attempt < 100 && !answer; attempt++) {
        answer = await fetch(`http://127.0.0.1:${port}/`).catch(async () => {
          await new Promise((done) => setTimeout(done, 100));
          return undefined;
        });
      }
      expect(answer, `workerd did not answer: ${stderr}`).toBeDefined();
      const text = await answer!.text();
      expect(answer!.status, text + stderr).toBe(200);
      expectQuickStart(JSON.parse(text) as Outcome, table, nodejsCompat);
    } finally {
      server.kill();
    }
  }, 90_000);

  it.skipIf(skipReason(runtimes.edgeRuntime, 'edge-runtime') !== undefined)(title('edge-runtime (Vercel Edge)', runtimes.edgeRuntime), async () => {
    writeFileSync(join(consumer, 'edge-entry.mjs'), "export { quickStart } from './quickstart.mjs';\n");
    writeFileSync(join(consumer, 'edge.bundle.js'), await esbuild('edge-entry.mjs', ['edge-light', 'browser'], 'iife'));
    const edgeRuntime = runtimes.edgeRuntime!;
    const version = (JSON.parse(readFileSync(join(edgeRuntime, 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(
      join(consumer, 'edge-main.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        `import { EdgeRuntime } from ${JSON.stringify(join(edgeRuntime, 'dist', 'index.js'))};`,
        "const runtime = new EdgeRuntime({ initialCode: readFileSync('edge.bundle.js', 'utf8') });",
        // The sandbox has no process, require or Buffer: only the web APIs Vercel Edge offers.
        `const result = await runtime.evaluate(${JSON.stringify(`smoke.${call(tables.edge)}`)});`,
        `console.log(JSON.stringify({ runtime: 'edge-runtime ${version}', ...JSON.parse(JSON.stringify(result)) }));`,
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['edge-main.mjs'], { cwd: consumer, timeout: 60_000 });
    expectQuickStart(JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome, tables.edge, false);
  }, 90_000);
});
