/**
 * The package as a consumer gets it, on the Drizzle line of this run: `npm run build` produces dist/ with
 * declarations; a consumer project with that drizzle-orm installed imports the line's entry, the shared entries
 * (`/driver`, `/kit`, `/migrator`, `/testing`), and gets a clear error from the other line's entry; TypeScript
 * resolves the declarations; and the `drizzle-cratedb` command runs. The consumers get what package.json "files"
 * ships, and no testcontainers (an optional peer dependency). A CommonJS consumer (tests/package-cjs.ts) and the
 * shipped stack traces and Node.js check (tests/package-runtime.ts) use the same build. PACKAGE_TEST_NODE=/path/to/node
 * runs the consumers on another Node.js.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonJsConsumer } from './package-cjs.js';
import { runtimeChecks } from './package-runtime.js';
import { consumerNode } from './package-runtime.js';
import { currentLine, lineEntry, otherLineEntry } from './support/lines.js';
import { LINES, lineById } from '../src/lines/manifest.js';

const root = resolve(import.meta.dirname, '..');
const line = currentLine();
const entry = lineEntry(line);
const otherEntry = otherLineEntry(line);
/** The packages each line pairs with, by name and by dev dependency: the consumer gets only this line's. */
const linePackages = Object.entries(lineById(line).packages).map(([name, pkg]) => [name, pkg.dev] as const);
const allLinePackages = LINES.flatMap((each) => Object.entries(each.packages).flatMap(([name, pkg]) => [name, pkg.dev]));
let consumer: string;

/**
 * A project with the package installed as published: package.json and what its "files" names, so the package's own
 * imports resolve in the consumer's node_modules. `type` is the project's module type.
 */
function makeConsumer(type: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), `drizzle-cratedb-consumer-${line}-${type}-`));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const installed = join(modules, 'drizzle-cratedb');
  mkdirSync(installed);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  for (const entry of manifest.files) cpSync(join(root, entry), join(installed, entry), { recursive: true });
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if ([...allLinePackages, '.bin', 'testcontainers'].includes(name)) continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }
  // drizzle-orm and drizzle-seed of the line, as its users install them.
  for (const [name, dev] of linePackages) symlinkSync(join(root, 'node_modules', dev), join(modules, name), 'dir');
  // The CommonJS project is what a new user starts from: `npm init -y` (npm 11 writes "type": "commonjs").
  if (type === 'commonjs') execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'pipe' });
  else writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type, private: true }));
  return dir;
}

const consumers: string[] = [];
const built = { esm: '', cjs: '' };

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  consumer = makeConsumer('module');
  built.esm = consumer;
  built.cjs = makeConsumer('commonjs');
  consumers.push(built.esm, built.cjs);
}, 120_000);

afterAll(() => {
  for (const dir of consumers) rmSync(dir, { recursive: true, force: true });
});

const node = (file: string) => execFileSync(consumerNode, ['--preserve-symlinks', file], { cwd: consumer, encoding: 'utf8' });

describe(`the built package on drizzle-orm ${line}`, () => {
  it('imports the entry of this line and the shared ones through the exports map', () => {
    writeFileSync(
      join(consumer, 'main.js'),
      [
        `import { drizzle, CrateClient, CrateDBError, crateTable, text } from '${entry}';`,
        "import { defineConfig } from 'drizzle-cratedb/kit';",
        "import { migrate } from 'drizzle-cratedb/migrator';",
        "import { CrateClient as DriverClient } from 'drizzle-cratedb/driver';",
        "import { CrateDBInstrumentation } from 'drizzle-cratedb/otel';",
        "const db = drizzle('http://127.0.0.1:9');",
        "const t = crateTable('t', { id: text().primaryKey() });",
        'console.log(JSON.stringify({',
        '  client: db.$client instanceof CrateClient, same: CrateClient === DriverClient,',
        "  error: typeof CrateDBError, config: typeof defineConfig, migrate: typeof migrate, sql: db.select().from(t).toSQL().sql,",
        "  otel: new CrateDBInstrumentation({ enabled: false }).instrumentationName,",
        '}));',
      ].join('\n'),
    );
    expect(JSON.parse(node('main.js'))).toEqual({
      client: true,
      same: true,
      error: 'function',
      config: 'function',
      migrate: 'function',
      sql: 'select "id" from "t"',
      otel: 'drizzle-cratedb',
    });
  });

  it("the other line's entry fails at import, naming the installed drizzle-orm and the entry to use", () => {
    writeFileSync(
      join(consumer, 'other.js'),
      `import('${otherEntry}').then(() => console.log('loaded'), (error) => console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message })));`,
    );
    const result = JSON.parse(node('other.js'));
    expect(result.name).toBe('CrateDrizzleLineError');
    expect(result.code).toBe('CRATE_ERR_DRIZZLE_LINE');
    expect(result.message).toContain(line === 'v1' ? 'drizzle-orm 1.0.0-rc.5 is installed' : 'drizzle-orm 0.45.4 is installed');
    expect(result.message).toContain(`import from '${entry}' instead`);
  });

  it("imports the line's validator and seeding entries, which refine and seed crateTables", () => {
    const prefix = entry;
    writeFileSync(
      join(consumer, 'tools.js'),
      [
        `import { crateTable, integer, floatVector } from '${entry}';`,
        ...['zod', 'valibot', 'typebox', 'arktype'].map((library) => `import * as ${library} from '${prefix}/${library}';`),
        `import { seed, reset } from '${prefix}/seed';`,
        "const t = crateTable('t', { id: integer().primaryKey(), v: floatVector({ dimensions: 3 }) });",
        'console.log(JSON.stringify({',
        '  factories: [zod, valibot, typebox, arktype].map((m) => typeof m.createInsertSchema),',
        '  refuses: zod.createInsertSchema(t).safeParse({ id: 1.5, v: [1, 2] }).success,',
        '  seed: typeof seed, reset: typeof reset,',
        '}));',
      ].join('\n'),
    );
    expect(JSON.parse(node('tools.js'))).toEqual({ factories: ['function', 'function', 'function', 'function'], refuses: false, seed: 'function', reset: 'function' });
  });

  it('ships declarations a TypeScript consumer resolves', () => {
    writeFileSync(
      join(consumer, 'main.ts'),
      [
        `import { drizzle, crateTable, text, type CrateDB } from '${entry}';`,
        "import { defineConfig } from 'drizzle-cratedb/kit';",
        ...(line === 'v1' ? ["import { createInsertSchema } from 'drizzle-cratedb/v1/zod';"] : []),
        "const t = crateTable('t', { id: text().primaryKey(), n: text() });",
        "const db: CrateDB = drizzle('http://127.0.0.1:9');",
        'export const rows: Promise<{ id: string; n: string | null }[]> = db.select().from(t);',
        ...(line === 'v1' ? ['export const schema = createInsertSchema(t);'] : []),
        "export default defineConfig({ dialect: 'cratedb', schema: './schema.ts', dbCredentials: { url: 'http://localhost:4200' } });",
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, skipLibCheck: true, types: [], preserveSymlinks: true },
        files: ['main.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('bundles for Workers, edge runtimes, Bun and Deno without undici or any node: module', async () => {
    const { build } = await import('esbuild');
    writeFileSync(
      join(consumer, 'worker.js'),
      [
        `import { drizzle, crateTable, text } from '${entry}';`,
        "import { CrateClient } from 'drizzle-cratedb/driver';",
        "const t = crateTable('t', { id: text().primaryKey() });",
        'export default {',
        "  async fetch() { const db = drizzle('http://127.0.0.1:4200'); return new Response(String(db.$client instanceof CrateClient) + db.select().from(t).toSQL().sql); },",
        '};',
      ].join('\n'),
    );
    const bundle = (platform: 'neutral' | 'node', conditions: string[]) =>
      build({
        entryPoints: [join(consumer, 'worker.js')],
        absWorkingDir: consumer,
        bundle: true,
        write: false,
        format: 'esm',
        platform,
        conditions,
        mainFields: ['module', 'main'],
        preserveSymlinks: true,
        metafile: true,
        logLevel: 'silent',
      });
    // Wrangler's conditions (workerd, worker, browser), Vercel Edge's (edge-light), Bun's and Deno's. On the neutral
    // platform a node: import that cannot be resolved fails the build itself.
    for (const conditions of [['workerd', 'worker', 'browser'], ['edge-light', 'browser'], ['bun'], ['deno']]) {
      const result = await bundle('neutral', conditions);
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.filter((input) => /undici|node_modules\/drizzle-cratedb\/dist\/driver\/transport\.js/.test(input)), conditions.join()).toEqual([]);
      // Imports and requires only: drizzle-orm v1 asks `process.getBuiltinModule?.('node:crypto')` at run time, which
      // is harmless where there is no process.
      expect(result.outputFiles[0]!.text).not.toMatch(/(\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']node:/);
      expect(inputs.some((input) => input.endsWith('dist/driver/transport-fetch.js'))).toBe(true);
    }
    // The control: bundled for Node, the same file takes undici in, so the checks above would see it leak.
    const forNode = await bundle('node', []);
    expect(Object.keys(forNode.metafile.inputs).some((input) => input.includes('node_modules/undici/'))).toBe(true);
  }, 60_000);

  it('runs the drizzle-cratedb command', () => {
    const help = execFileSync(consumerNode, [join(consumer, 'node_modules/drizzle-cratedb/dist/kit/cli.js'), '--help'], { encoding: 'utf8' });
    for (const command of ['generate', 'migrate', 'push', 'pull', 'check', 'export']) expect(help).toContain(command);
  });
});

commonJsConsumer(line, () => built.cjs);
runtimeChecks(line, () => built);
