/**
 * Both migration folder layouts (drizzle-kit 0.31's journal, drizzle-kit 1.0's folder per migration), `up`,
 * migrations.prefix, and the CLI flags drizzle-kit 0.31 spells: all without a database.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crateTable, describeTable, integer, text } from 'drizzle-cratedb';
import { checkFolder } from '../../src/kit/check.js';
import { packageVersion, parseArgs, runCli } from '../../src/kit/cli.js';
import { resolveConfig } from '../../src/kit/config.js';
import { detectLayout, latestSnapshot, layoutFor, prefixMillis, readMigrations, timestampPrefix, writeNewMigration, type FolderLayout } from '../../src/kit/folders.js';
import { hashMigration, migrationTag, renderMigration } from '../../src/kit/journal.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { createSnapshot, emptySnapshot, type Snapshot } from '../../src/kit/snapshot.js';
import { tagSuffix, upgradeFolder } from '../../src/kit/up.js';
import { parseShowCreateTable } from '../../src/kit/introspect.js';
import type { Output } from '../../src/kit/output.js';
import { unmanagedTables } from '../../src/kit/commands.js';
import { migrate, MigrationError } from '../../src/kit/migrator.js';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-layout-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const users = crateTable('users', { id: text('id').primaryKey(), n: integer('n') });

/** Two migrations, the second a second before the first in wall time to show ordering does not rely on the clock. */
function writeTwo(out: string, layout: FolderLayout, now = Date.UTC(2026, 0, 2, 3, 4, 5, 678)): Snapshot[] {
  const first = createSnapshot([describeTable(users)], emptySnapshot().id);
  const second = createSnapshot([], first.id);
  writeNewMigration({ out, snapshot: first, sql: renderMigration(['CREATE TABLE "users" (id TEXT)'], true), name: 'init', breakpoints: true, layout, now });
  writeNewMigration({ out, snapshot: second, sql: renderMigration(['DROP TABLE "users"', 'SELECT 1'], true), name: 'drop', breakpoints: true, layout, now });
  return [first, second];
}

function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  const id = (text: string) => text;
  return { color: false, line: (text = '') => void lines.push(text), error: (text) => void lines.push(text), green: id, red: id, yellow: id, dim: id, bold: id, text: () => lines.join('\n') };
}

describe("drizzle-kit 1.0's layout", () => {
  it('writes a folder per migration, named by UTC time and at least a second after its parent, with no journal', () => {
    const out = tempDir();
    const [first, second] = writeTwo(out, 'folders');
    expect(readdirSync(out).sort()).toEqual(['20260102030405_init', '20260102030406_drop']);
    expect(readdirSync(join(out, '20260102030405_init')).sort()).toEqual(['migration.sql', 'snapshot.json']);
    expect(existsSync(join(out, 'meta'))).toBe(false);
    expect(readFileSync(join(out, '20260102030406_drop', 'migration.sql'), 'utf8')).toBe('DROP TABLE "users";\n--> statement-breakpoint\nSELECT 1;\n');
    expect(detectLayout(out)).toBe('folders');
    expect(latestSnapshot(out).id).toBe(second!.id);
    const migrations = readMigrations(out);
    expect(migrations.map((m) => [m.idx, m.tag, m.when])).toEqual([
      [0, '20260102030405_init', Date.UTC(2026, 0, 2, 3, 4, 5)],
      [1, '20260102030406_drop', Date.UTC(2026, 0, 2, 3, 4, 6)],
    ]);
    expect(migrations[1]!.statements).toEqual(['DROP TABLE "users"', 'SELECT 1']);
    // The hash drizzle-orm 1.0's migrator computes: sha256 of migration.sql.
    expect(migrations[0]!.hash).toBe(hashMigration(readFileSync(join(out, '20260102030405_init', 'migration.sql'), 'utf8')));
    expect(checkFolder(out)).toEqual([]);
    expect(first!.prevId).toBe(emptySnapshot().id);
  });

  it('check finds a broken chain, a missing snapshot and stray files', () => {
    const out = tempDir();
    writeTwo(out, 'folders');
    writeNewMigration({ out, snapshot: createSnapshot([], 'not-the-parent'), sql: 'SELECT 2;\n', name: 'branch', breakpoints: true, layout: 'folders', now: 0 });
    rmSync(join(out, '20260102030405_init', 'snapshot.json'));
    writeFileSync(join(out, 'stray.sql'), 'SELECT 3;\n');
    expect(checkFolder(out).map((problem) => problem.kind).sort()).toEqual(['broken-chain', 'missing-snapshot', 'orphan-sql']);
  });

  it('timestamps are UTC and read back as drizzle-orm 1.0 reads them', () => {
    expect(timestampPrefix(Date.UTC(2024, 5, 27, 12, 39, 0, 999))).toBe('20240627123900');
    expect(prefixMillis('20240627123900')).toBe(Date.UTC(2024, 5, 27, 12, 39, 0));
  });

  it('a folder holding both layouts is refused, naming up', () => {
    const out = tempDir();
    writeTwo(out, 'journal');
    mkdirSync(join(out, '20260101000000_x'));
    writeFileSync(join(out, '20260101000000_x', 'migration.sql'), 'SELECT 1;\n');
    expect(() => readMigrations(out)).toThrow(/both layouts.*drizzle-cratedb up/);
  });
});

describe('which layout generate writes', () => {
  const project = (version: string | undefined) => {
    const root = tempDir();
    if (version) {
      mkdirSync(join(root, 'node_modules', 'drizzle-orm'), { recursive: true });
      writeFileSync(join(root, 'node_modules', 'drizzle-orm', 'package.json'), JSON.stringify({ version }));
    }
    return root;
  };

  it("a new folder takes the layout of the project's drizzle-orm; a folder with migrations keeps its own", () => {
    const v1 = project('1.0.0-rc.5');
    const v045 = project('0.45.4');
    expect(layoutFor(join(v1, 'drizzle'), v1)).toBe('folders');
    expect(layoutFor(join(v045, 'drizzle'), v045)).toBe('journal');
    expect(layoutFor(join(project(undefined), 'drizzle'), v045)).toBe('journal');
    writeTwo(join(v1, 'drizzle'), 'journal');
    expect(layoutFor(join(v1, 'drizzle'), v1)).toBe('journal');
    writeTwo(join(v045, 'drizzle'), 'folders');
    expect(layoutFor(join(v045, 'drizzle'), v045)).toBe('folders');
  });
});

describe('up', () => {
  it('moves every migration to its folder, byte for byte, named by its journal time, and removes the journal', () => {
    const out = tempDir();
    const [, second] = writeTwo(out, 'journal', Date.UTC(2025, 4, 6, 7, 8, 9, 10));
    const before = readMigrations(out);
    const journal = JSON.parse(readFileSync(join(out, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
    // The two entries are a millisecond apart: the second folder is moved a second on, so the names still sort.
    expect(journal.entries[1]!.when - journal.entries[0]!.when).toBe(1);
    const result = upgradeFolder(out);
    expect(result.moved).toEqual([
      { from: '0000_init', to: '20250506070809_init' },
      { from: '0001_drop', to: '20250506070810_drop' },
    ]);
    expect(existsSync(join(out, 'meta'))).toBe(false);
    expect(detectLayout(out)).toBe('folders');
    const after = readMigrations(out);
    expect(after.map((m) => m.hash)).toEqual(before.map((m) => m.hash));
    expect(after.map((m) => m.idx)).toEqual(before.map((m) => m.idx));
    expect(after.map((m) => tagSuffix(m.tag))).toEqual(before.map((m) => tagSuffix(m.tag)));
    expect(latestSnapshot(out).id).toBe(second!.id);
    expect(checkFolder(out)).toEqual([]);
    expect(() => upgradeFolder(out)).toThrow(/nothing to convert/);
  });

  it('refuses a folder check finds broken, and changes nothing', () => {
    const out = tempDir();
    writeTwo(out, 'journal');
    rmSync(join(out, 'meta', '0001_snapshot.json'));
    expect(() => upgradeFolder(out)).toThrow(/up stopped: fix these first[\s\S]*0001_drop: its snapshot/);
    expect(existsSync(join(out, '0000_init.sql'))).toBe(true);
    expect(detectLayout(out)).toBe('journal');
  });

  it('the CLI command works with --out and no config file', async () => {
    const out = tempDir();
    writeTwo(join(out, 'm'), 'journal');
    const output = capture();
    expect(await runCli(['up', '--out', 'm'], { out: output, cwd: out })).toBe(0);
    expect(output.text()).toMatch(/0000_init\.sql → \d{14}_init\/migration\.sql/);
    expect(detectLayout(join(out, 'm'))).toBe('folders');
  });
});

describe('migrations.prefix, as drizzle-kit 0.31 names files', () => {
  const now = Date.UTC(2024, 5, 27, 12, 39, 0, 500);
  it.each([
    ['index', '0003_init'],
    ['timestamp', '20240627123900_init'],
    ['supabase', '20240627123900_init'],
    ['unix', '1719491940_init'],
    ['none', '_init'],
  ] as const)('%s → %s', (mode, tag) => {
    expect(migrationTag(3, 'init', mode, now)).toBe(tag);
  });

  it('generate writes the prefixed file, the journal lists it and migrate reads it', () => {
    const out = tempDir();
    const snapshot = createSnapshot([], emptySnapshot().id);
    const written = writeNewMigration({ out, snapshot, sql: 'SELECT 1;\n', name: 'init', breakpoints: true, layout: 'journal', prefix: 'timestamp', now });
    expect(written.tag).toBe('20240627123900_init');
    expect(existsSync(join(out, '20240627123900_init.sql'))).toBe(true);
    expect(existsSync(join(out, 'meta', '0000_snapshot.json'))).toBe(true);
    expect(readMigrations(out).map((m) => m.tag)).toEqual(['20240627123900_init']);
    expect(checkFolder(out)).toEqual([]);
    expect(() => writeNewMigration({ out, snapshot, sql: 'SELECT 1;\n', name: 'init', breakpoints: true, layout: 'journal', prefix: 'timestamp', now })).toThrow(/exists already/);
  });

  it('the config takes it, and refuses values drizzle-kit does not know', () => {
    expect(resolveConfig({ dialect: 'cratedb', migrations: { prefix: 'supabase' } }).prefix).toBe('supabase');
    expect(resolveConfig({ dialect: 'cratedb' }).prefix).toBe('index');
    expect(() => resolveConfig({ dialect: 'cratedb', migrations: { prefix: 'date' } })).toThrow(/migrations\.prefix must be one of 'index', 'timestamp', 'supabase', 'unix', 'none'/);
    expect(() => resolveConfig({ dialect: 'cratedb', migrations: { prefx: 'index' } })).toThrow(/unknown option 'migrations\.prefx'/);
  });
});

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

describe('push: tables in no schema file', () => {
  const live = [
    describeTable(users),
    describeTable(crateTable('other_app', { id: integer('id') })),
    describeTable(crateTable('billing', { id: integer('id') })),
  ];
  const desired = createSnapshot([describeTable(users)], emptySnapshot().id);

  it('are left alone under the default filters, and managed once a filter of the user covers them', () => {
    const defaults = resolveConfig({ dialect: 'cratedb', schema: './s.ts' });
    expect(unmanagedTables(defaults, live, desired).map((table) => table.name)).toEqual(['other_app', 'billing']);
    // The walkthrough's config (no filters) is the default case.
    expect(defaults.filtersGiven).toEqual({ tables: false, schemas: false });
    expect(unmanagedTables(resolveConfig({ dialect: 'cratedb', tablesFilter: ['*'] }), live, desired)).toEqual([]);
    expect(unmanagedTables(resolveConfig({ dialect: 'cratedb', schemaFilter: ['doc'] }), live, desired)).toEqual([]);
  });

  it('--tablesFilter and --schemaFilters on the command line count as the user\'s filters', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'drizzle.config.json'), JSON.stringify({ dialect: 'cratedb', schema: './none.ts', dbCredentials: 'http://127.0.0.1:9' }));
    expect(parseArgs(['push', '--tablesFilter', 'a,b']).options.tablesFilter).toEqual(['a', 'b']);
    const output = capture();
    expect(await runCli(['push', '--drop-unmanaged', '--tablesFilter', 'x', '--strict'], { out: output, cwd, interactive: false })).toBe(1);
    // The flags are taken; it goes on to the server (none at port 9) rather than stopping at the arguments.
    expect(output.text()).not.toMatch(/unknown option|needs a value/);
  });
});

describe('migrator bookkeeping without a server', () => {
  const recordCols = ['id', 'tag', 'hash', 'status', 'statements_done', 'statements_total', 'owner', 'error', 'heartbeat_at', 'server_now', '_seq_no', '_primary_term'];

  it('takes a migration moved by up under its new name, refuses a changed one, and sends only statements CrateDB parses', async () => {
    const out = tempDir();
    writeTwo(out, 'folders');
    const [first, second] = readMigrations(out);
    const state = { tags: ['0000_init', '0001_drop'], hashes: [first!.hash, 'an-older-hash'] };
    const { client, calls } = recordingClient((call) => {
      if (call.stmt.startsWith('SELECT id, tag')) {
        const id = call.args[0] as number;
        return { cols: recordCols, rows: [[id, state.tags[id], state.hashes[id], 'applied', 1, 1, 'o', null, null, null, 1, 1]] };
      }
      if (call.stmt.includes('SET tag = ?')) state.tags[call.args[1] as number] = call.args[0] as string;
      if (call.stmt.includes('SET hash = ?')) state.hashes[call.args[1] as number] = call.args[0] as string;
      return {};
    });
    const error = await migrate(client, { migrationsFolder: out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain(`migration ${second!.tag} (recorded as 0001_drop) was applied, but its file has changed since`);
    // The first was recognised (same hash, same name after the prefix) and renamed; the changed one was not.
    expect(state.tags).toEqual([first!.tag, '0001_drop']);
    const accepted = await migrate(client, { migrationsFolder: out, acceptChanged: true });
    expect(accepted).toMatchObject({ applied: [], skipped: [first!.tag, second!.tag] });
    expect(state.tags).toEqual([first!.tag, second!.tag]);
    expect(state.hashes[1]).toBe(second!.hash);
    expect(calls.length).toBeGreaterThan(4);
    for (const call of calls) expectCrateSql(call.stmt);
  });

  it('a different migration at the same position is still a divergence', async () => {
    const out = tempDir();
    writeTwo(out, 'folders');
    const { client } = recordingClient((call) =>
      call.stmt.startsWith('SELECT id, tag') ? { cols: recordCols, rows: [[0, '0000_other', 'h', 'applied', 1, 1, 'o', null, null, null, 1, 1]] } : {},
    );
    await expect(migrate(client, { migrationsFolder: out })).rejects.toThrow(/recorded migration 0000_other at position 0, but the folder has \d{14}_init there/);
  });
});
