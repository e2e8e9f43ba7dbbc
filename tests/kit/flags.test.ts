/** The CLI flags drizzle-kit 0.31 spells, taken as drizzle-kit takes them. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion, parseArgs, runCli } from '../../src/kit/cli.js';
import { resolveConfig } from '../../src/kit/config.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { parseShowCreateTable } from '../../src/kit/introspect.js';
import { tempDirs } from '../support/temp-dirs.js';
import { capture, writeTwo } from '../support/kit-fixtures.js';

const tempDir = tempDirs('kit-layout-');

describe("drizzle-kit 0.31's flags", () => {
  it('introspect is pull', () => {
    expect(parseArgs(['introspect', '--introspect-casing', 'preserve']).command).toBe('pull');
  });

  it('filters as drizzle-kit spells them, comma-separated or repeated', () => {
    expect(parseArgs(['push', '--tablesFilter', 'users,app_*', '--tablesFilter=!tmp_*', '--schemaFilters', 'doc,metrics']).options).toEqual({
      tablesFilter: ['users', 'app_*', '!tmp_*'],
      schemaFilters: ['doc', 'metrics'],
    });
    expect(parseArgs(['pull', '--tablesFilter', 'a']).options).toEqual({ tablesFilter: ['a'] });
    expect(() => parseArgs(['generate', '--tablesFilter', 'a'])).toThrow(/unknown option --tablesFilter for generate/);
  });

  it('--prefix and --introspect-casing are checked before anything runs', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'drizzle.config.json'), JSON.stringify({ dialect: 'cratedb', schema: './none.ts' }));
    const output = capture();
    expect(await runCli(['generate', '--prefix', 'date'], { out: output, cwd })).toBe(1);
    expect(output.text()).toContain('--prefix takes index, timestamp, supabase, unix, none');
    expect(await runCli(['introspect', '--introspect-casing', 'snake'], { out: output, cwd })).toBe(1);
    expect(output.text()).toContain('--introspect-casing takes camel or preserve');
  });

  it('--version prints the package version', async () => {
    const output = capture();
    expect(await runCli(['--version'], { out: output })).toBe(0);
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(output.text()).toBe(`drizzle-cratedb ${version}`);
    expect(packageVersion()).toBe(version);
  });

  it('check --out needs no config file, in either layout', async () => {
    for (const layout of ['journal', 'folders'] as const) {
      const cwd = tempDir();
      writeTwo(join(cwd, 'migrations'), layout);
      const output = capture();
      expect(await runCli(['check', '--out', 'migrations'], { out: output, cwd })).toBe(0);
      expect(output.text()).toContain('2 migrations in migrations');
      writeFileSync(join(cwd, 'migrations', 'stray.sql'), 'SELECT 1;\n');
      expect(await runCli(['check', '--out', 'migrations'], { out: output, cwd })).toBe(1);
    }
    // Without --out it still needs the config, and says so.
    const output = capture();
    expect(await runCli(['check'], { out: output, cwd: tempDir() })).toBe(1);
    expect(output.text()).toMatch(/no drizzle\.config\.ts/);
  });

  it('--introspect-casing preserve keeps the database names as keys', () => {
    const table = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "doc"."user_accounts" (
   "user_id" TEXT NOT NULL,
   "firstName" TEXT,
   PRIMARY KEY ("user_id")
)`);
    const preserved = writeSchemaSource([table], { casing: 'preserve' });
    expect(preserved).toContain('export const user_accounts = crateTable(');
    expect(preserved).toContain("user_id: text('user_id').primaryKey(),");
    expect(preserved).toContain("firstName: text('firstName'),");
    const camel = writeSchemaSource([table], { casing: 'camel' });
    expect(camel).toContain('export const userAccounts = crateTable(');
    expect(camel).toContain("userId: text('user_id').primaryKey(),");
    expect(resolveConfig({ dialect: 'cratedb', introspect: { casing: 'preserve' } }).introspectCasing).toBe('preserve');
    expect(() => resolveConfig({ dialect: 'cratedb', introspect: { casing: 'snake' } })).toThrow(/introspect\.casing must be 'camel' or 'preserve'/);
  });
});
