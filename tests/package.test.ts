/**
 * The package as a consumer gets it: `npm run build` produces dist/ with declarations, the exports map resolves
 * `drizzle-cratedb`, `drizzle-cratedb/kit` and `drizzle-cratedb/migrator` from another project, in JavaScript and
 * in TypeScript, and the `drizzle-cratedb` command runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
let consumer: string;

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' });
  consumer = mkdtempSync(join(tmpdir(), 'drizzle-cratedb-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(root, join(consumer, 'node_modules', 'drizzle-cratedb'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 120_000);

afterAll(() => {
  rmSync(consumer, { recursive: true, force: true });
});

describe('the built package', () => {
  it('imports from a consumer project through the exports map', () => {
    writeFileSync(
      join(consumer, 'main.js'),
      [
        "import { drizzle, CrateClient, CrateDBError, crateTable, text } from 'drizzle-cratedb';",
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
    const output = execFileSync(process.execPath, ['main.js'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({
      client: true,
      same: true,
      error: 'function',
      config: 'function',
      migrate: 'function',
      sql: 'select "id" from "t"',
    });
  });

  it('ships declarations a TypeScript consumer resolves', () => {
    writeFileSync(
      join(consumer, 'main.ts'),
      [
        "import { drizzle, crateTable, text, type CrateDB } from 'drizzle-cratedb';",
        "import { defineConfig } from 'drizzle-cratedb/kit';",
        "const t = crateTable('t', { id: text().primaryKey(), n: text() });",
        "const db: CrateDB = drizzle('http://127.0.0.1:9');",
        'export const rows: Promise<{ id: string; n: string | null }[]> = db.select().from(t);',
        "export default defineConfig({ dialect: 'cratedb', schema: './schema.ts', dbCredentials: { url: 'http://localhost:4200' } });",
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['main.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('runs the drizzle-cratedb command', () => {
    const help = execFileSync(process.execPath, [join(root, 'dist', 'kit', 'cli.js'), '--help'], { encoding: 'utf8' });
    for (const command of ['generate', 'migrate', 'push', 'pull', 'check', 'export']) expect(help).toContain(command);
  });
});
