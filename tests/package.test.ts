/**
 * The package as a consumer gets it, on the Drizzle line of this run: `npm run build` produces dist/ with
 * declarations; a consumer project with that drizzle-orm installed imports the line's entry, the shared entries
 * (`/driver`, `/kit`, `/migrator`), and gets a clear error from the other line's entry; TypeScript resolves the
 * declarations; and the `drizzle-cratedb` command runs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLine } from './support/lines.js';

const root = resolve(import.meta.dirname, '..');
const line = currentLine();
const entry = line === 'v1' ? 'drizzle-cratedb/v1' : 'drizzle-cratedb';
const otherEntry = line === 'v1' ? 'drizzle-cratedb' : 'drizzle-cratedb/v1';
let consumer: string;

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  consumer = mkdtempSync(join(tmpdir(), `drizzle-cratedb-consumer-${line}-`));
  const modules = join(consumer, 'node_modules');
  mkdirSync(modules);
  // The package as published (package.json and dist/), so its imports resolve in the consumer's node_modules.
  const installed = join(modules, 'drizzle-cratedb');
  mkdirSync(installed);
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (['drizzle-orm', 'drizzle-orm-v1', 'drizzle-seed', 'drizzle-seed-v1', '.bin'].includes(name)) continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
  }
  symlinkSync(join(root, 'node_modules', line === 'v1' ? 'drizzle-orm-v1' : 'drizzle-orm'), join(modules, 'drizzle-orm'), 'dir');
  // drizzle-seed of the line, as its users install it.
  symlinkSync(join(root, 'node_modules', line === 'v1' ? 'drizzle-seed-v1' : 'drizzle-seed'), join(modules, 'drizzle-seed'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 120_000);

afterAll(() => {
  rmSync(consumer, { recursive: true, force: true });
});

const node = (file: string) => execFileSync(process.execPath, ['--preserve-symlinks', file], { cwd: consumer, encoding: 'utf8' });

describe(`the built package on drizzle-orm ${line}`, () => {
  it('imports the entry of this line and the shared ones through the exports map', () => {
    writeFileSync(
      join(consumer, 'main.js'),
      [
        `import { drizzle, CrateClient, CrateDBError, crateTable, text } from '${entry}';`,
        "import { defineConfig } from 'drizzle-cratedb/kit';",
        "import { migrate } from 'drizzle-cratedb/migrator';",
        "import { CrateClient as DriverClient } from 'drizzle-cratedb/driver';",
        "const db = drizzle('http://127.0.0.1:9');",
        "const t = crateTable('t', { id: text().primaryKey() });",
        'console.log(JSON.stringify({',
        '  client: db.$client instanceof CrateClient, same: CrateClient === DriverClient,',
        "  error: typeof CrateDBError, config: typeof defineConfig, migrate: typeof migrate, sql: db.select().from(t).toSQL().sql,",
        '}));',
      ].join('\n'),
    );
    expect(JSON.parse(node('main.js'))).toEqual({ client: true, same: true, error: 'function', config: 'function', migrate: 'function', sql: 'select "id" from "t"' });
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
    const prefix = line === 'v1' ? 'drizzle-cratedb/v1' : 'drizzle-cratedb';
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

  it('runs the drizzle-cratedb command', () => {
    const help = execFileSync(process.execPath, [join(consumer, 'node_modules/drizzle-cratedb/dist/kit/cli.js'), '--help'], { encoding: 'utf8' });
    for (const command of ['generate', 'migrate', 'push', 'pull', 'check', 'export']) expect(help).toContain(command);
  });
});
