/** Both migration folder layouts (drizzle-kit 0.31's journal, drizzle-kit 1.0's folder per migration), which one generate writes, and migrations.prefix. */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFolder } from '../../src/kit/check.js';
import { resolveConfig } from '../../src/kit/config.js';
import { detectLayout, latestSnapshot, layoutFor, prefixMillis, readMigrations, timestampPrefix, writeNewMigration } from '../../src/kit/folders.js';
import { hashMigration, migrationTag } from '../../src/kit/journal.js';
import { createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';
import { tempDirs } from '../support/temp-dirs.js';
import { writeTwo } from '../support/kit-fixtures.js';

const tempDir = tempDirs('kit-layout-');

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
