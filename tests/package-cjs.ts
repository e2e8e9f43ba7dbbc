/**
 * The built package from a CommonJS project (what `npm init -y` makes): every entry is `require`d and used, the
 * CommonJS build is what loads (with drizzle-orm's CommonJS build, so the process has one drizzle-orm), TypeScript
 * types a CommonJS consumer under `node16`, `nodenext` and `bundler`, and the README's Quick start runs as written
 * with tsx against a real CrateDB. Registered by tests/package.test.ts, which builds the package once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrateClient } from '../src/driver/index.js';
import { crateUrl, uniqueName } from './support/crate.js';
import { consumerNode } from './package-runtime.js';
import { lineEntry, otherLineEntry, type Line } from './support/lines.js';

const root = resolve(import.meta.dirname, '..');

export function commonJsConsumer(line: Line, dir: () => string): void {
  const entry = lineEntry(line);
  const otherEntry = otherLineEntry(line);
  const node = (file: string, env: Record<string, string | undefined> = {}) =>
    execFileSync(consumerNode, ['--preserve-symlinks', file], { cwd: dir(), encoding: 'utf8', env: { ...process.env, ...env } });

  describe(`a CommonJS project on drizzle-orm ${line}`, () => {
    it('is the project `npm init -y` makes: CommonJS', () => {
      const manifest = JSON.parse(readFileSync(join(dir(), 'package.json'), 'utf8')) as { type?: string };
      // npm before 11 wrote no "type", which Node also reads as CommonJS.
      expect(manifest.type ?? 'commonjs').toBe('commonjs');
    });

    it('requires every entry and uses it, all from the CommonJS build', async () => {
      const validators = line === 'v1' ? ['zod', 'valibot', 'typebox', 'arktype'] : [];
      writeFileSync(
        join(dir(), 'main.js'),
        `
const { eq } = require('drizzle-orm');
const lib = require('${entry}');
const { defineConfig } = require('drizzle-cratedb/kit');
const { migrate } = require('drizzle-cratedb/migrator');
const driver = require('drizzle-cratedb/driver');
const testing = require('drizzle-cratedb/testing');
const t = lib.crateTable('t', { id: lib.text().primaryKey(), n: lib.integer() });
const db = lib.drizzle('http://127.0.0.1:9');
const out = {
  sql: db.select().from(t).where(eq(t.id, 'a')).toSQL().sql,
  sameClient: db.$client instanceof driver.CrateClient,
  config: defineConfig({ dialect: 'cratedb', schema: './schema.ts', dbCredentials: { url: 'http://localhost:4200' } }).dialect,
  migrate: typeof migrate,
  resolved: ['${entry}', 'drizzle-cratedb/driver', 'drizzle-cratedb/kit', 'drizzle-cratedb/migrator', 'drizzle-cratedb/testing', 'drizzle-cratedb/otel']
    .map((name) => require.resolve(name).replace(/^.*node_modules\\//, '')),
  // drizzle-cratedb's own require('drizzle-orm/pg-core') went to drizzle-orm's CommonJS build: one drizzle-orm.
  drizzleCjs: Object.keys(require.cache).some((file) => /drizzle-orm[\\\\/]pg-core[\\\\/].*\\.cjs$/.test(file)),
  validators: {},
};
for (const name of ${JSON.stringify(validators)}) {
  const schema = require('drizzle-cratedb/v1/' + name).createInsertSchema(t);
  out.validators[name] = typeof schema;
}
if (out.validators.zod) out.validators.zodRefusesFraction = !require('drizzle-cratedb/v1/zod').createInsertSchema(t).safeParse({ id: 'a', n: 1.5 }).success;
const reused = testing.startCrateDB();
reused.then(async (crate) => {
  out.reused = { url: crate.url, source: crate.source };
  // Nothing else to start CrateDB from either: no tarball, folder or download, and testcontainers is not installed.
  for (const name of ['CRATEDB_URL', 'CRATEDB_TARBALL', 'CRATEDB_HOME']) delete process.env[name];
  process.env.CRATEDB_DOWNLOAD = '0';
  await testing.startCrateDB().catch((error) => { out.noTestcontainers = { name: error.name, code: error.code, message: error.message }; });
  console.log(JSON.stringify(out));
});
`,
      );
      const out = JSON.parse(node('main.js', { CRATEDB_URL: 'http://127.0.0.1:4299' }));
      expect(out.sql).toBe('select "id", "n" from "t" where "t"."id" = $1');
      expect(out.sameClient).toBe(true);
      expect(out.config).toBe('cratedb');
      expect(out.migrate).toBe('function');
      const base = line === 'v1' ? 'v1' : 'index';
      expect(out.resolved).toEqual([
        `drizzle-cratedb/dist/${base}.cjs`,
        'drizzle-cratedb/dist/driver/node.cjs',
        'drizzle-cratedb/dist/kit/index.cjs',
        'drizzle-cratedb/dist/kit/migrator-entry.cjs',
        'drizzle-cratedb/dist/testing/index.cjs',
        'drizzle-cratedb/dist/otel/index.cjs',
      ]);
      expect(out.drizzleCjs).toBe(true);
      if (line === 'v1') {
        expect(out.validators).toEqual({ zod: 'object', valibot: 'object', typebox: 'object', arktype: 'function', zodRefusesFraction: true });
      }
      // drizzle-cratedb/testing reuses CRATEDB_URL, and without it says testcontainers is missing (the consumer has none).
      expect(out.reused).toEqual({ url: 'http://127.0.0.1:4299', source: 'CRATEDB_URL' });
      expect(out.noTestcontainers.name).toBe('CrateRuntimeError');
      expect(out.noTestcontainers.code).toBe('CRATE_ERR_RUNTIME');
      expect(out.noTestcontainers.message).toContain('npm install --save-dev testcontainers');
      expect(out.noTestcontainers.message).toContain('CRATEDB_URL');
    });

    it('every entry of the exports map has an import and a require build, each with its declarations, all shipped', () => {
      const installed = join(dir(), 'node_modules', 'drizzle-cratedb');
      const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      const entries = Object.entries(manifest.exports).filter(([key]) => key !== './package.json');
      expect(entries.length).toBeGreaterThanOrEqual(10);
      for (const [key, conditions] of entries) {
        const { import: esm, require: cjs } = conditions as Record<string, { types: string; default: string }>;
        expect({ key, esm: [esm?.types.endsWith('.d.ts'), esm?.default.endsWith('.js')], cjs: [cjs?.types.endsWith('.d.cts'), cjs?.default.endsWith('.cjs')] }).toEqual({
          key,
          esm: [true, true],
          cjs: [true, true],
        });
        for (const file of [esm!.types, esm!.default, cjs!.types, cjs!.default]) expect(existsSync(join(installed, file)), `${key}: ${file}`).toBe(true);
      }
    });

    it("the other line's entry fails at require, naming the entry to use", () => {
      writeFileSync(
        join(dir(), 'other.js'),
        `try { require('${otherEntry}'); console.log('{}'); } catch (error) { console.log(JSON.stringify({ name: error.name, message: error.message })); }`,
      );
      const result = JSON.parse(node('other.js'));
      expect(result.name).toBe('CrateDrizzleLineError');
      expect(result.message).toContain(`import from '${entry}' instead`);
    });

    for (const resolution of ['node16', 'nodenext', 'bundler'] as const) {
      it(`type-checks a CommonJS TypeScript consumer (.ts and .cts) with module resolution ${resolution}`, () => {
        const code = [
          "import { eq } from 'drizzle-orm';",
          `import { crateTable, drizzle, integer, text, CrateRuntimeError, type CrateDB } from '${entry}';`,
          "import { defineConfig } from 'drizzle-cratedb/kit';",
          "import { startCrateDB, type CrateDBForTests } from 'drizzle-cratedb/testing';",
          ...(line === 'v1' ? ["import { createInsertSchema } from 'drizzle-cratedb/v1/zod';"] : []),
          "const t = crateTable('t', { id: text().primaryKey(), n: integer() });",
          "const db: CrateDB = drizzle('http://127.0.0.1:9');",
          "export const rows: Promise<{ id: string; n: number | null }[]> = db.select().from(t).where(eq(t.id, 'a'));",
          'export const crate: Promise<CrateDBForTests> = startCrateDB({ nodes: 3, image: "crate:6.4" });',
          'export const isRuntime = (error: unknown): boolean => error instanceof CrateRuntimeError;',
          ...(line === 'v1' ? ['export const schema = createInsertSchema(t);'] : []),
          "export const config = defineConfig({ dialect: 'cratedb', schema: './schema.ts', dbCredentials: { url: 'http://localhost:4200' } });",
        ].join('\n');
        writeFileSync(join(dir(), 'typed.ts'), code);
        writeFileSync(join(dir(), 'typed-cts.cts'), code);
        const module = resolution === 'bundler' ? 'preserve' : resolution;
        writeFileSync(
          join(dir(), `tsconfig.${resolution}.json`),
          JSON.stringify({
            compilerOptions: { module, moduleResolution: resolution, target: 'ES2023', strict: true, noEmit: true, skipLibCheck: true, types: [], preserveSymlinks: true },
            files: ['typed.ts', 'typed-cts.cts'],
          }),
        );
        const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
        let output = '';
        try {
          execFileSync(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: dir(), encoding: 'utf8', stdio: 'pipe' });
        } catch (error) {
          output = String((error as { stdout?: string }).stdout);
        }
        expect(output).toBe('');
      }, 60_000);
    }

    it.skipIf(!crateUrl)(`runs the README's Quick start for this line as written, with tsx${crateUrl ? '' : ' [SKIPPED: no CrateDB; set CRATEDB_URL]'}`, async () => {
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5));
      const blocks = [...quickStart.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
      const block = blocks.find((code) => code.includes(`from '${entry}'`))!;
      expect(block).toContain('async function main()');
      writeFileSync(join(dir(), 'index.ts'), block);
      const schema = uniqueName('quickstart');
      const url = new URL(crateUrl!);
      try {
        const out = execFileSync(consumerNode, ['--preserve-symlinks', join(dir(), 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'index.ts'], {
          cwd: dir(),
          encoding: 'utf8',
          env: { ...process.env, CRATEDB_URL: `crate://${url.host}/?schema=${schema}` },
        });
        expect(out).toContain(line === 'v1' ? "name: 'Rex'" : "name: 'Arthur'");
      } finally {
        const client = new CrateClient(crateUrl!);
        const tables = await client.sql('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
        for (const [name] of tables.rows) await client.sql(`DROP TABLE IF EXISTS "${schema}"."${String(name)}"`);
        await client.close();
      }
    }, 60_000);
  });
}
