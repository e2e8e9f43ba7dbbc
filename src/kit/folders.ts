/**
 * The two migration folder layouts, behind one interface:
 *
 * - `journal` (drizzle-kit 0.31): `NNNN_<name>.sql`, `meta/_journal.json`, `meta/NNNN_snapshot.json`;
 * - `folders` (drizzle-kit 1.0): one folder per migration, `YYYYMMDDHHMMSS_<name>/migration.sql` and `snapshot.json`,
 *   no journal; the folders sort by name in the order they were generated.
 *
 * generate, pull, check and the migrator call these functions, so every command reads both layouts.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  hashMigration,
  JournalError,
  journalPath,
  latestSnapshot as latestJournalSnapshot,
  randomName,
  readJournal,
  readMigrationFolder as readJournalFolder,
  splitStatements,
  writeMigration as writeJournalMigration,
  type MigrationFile,
  type WrittenMigration,
} from './journal.js';
import { emptySnapshot, parseSnapshot, serializeSnapshot, type Snapshot } from './snapshot.js';
import { projectLine } from './project-line.js';

export type FolderLayout = 'journal' | 'folders';

/** How drizzle-kit 0.31 prefixes a migration's file name (`migrations.prefix`, `--prefix`). */
export type MigrationPrefix = 'index' | 'timestamp' | 'supabase' | 'unix' | 'none';
export const MIGRATION_PREFIXES: readonly MigrationPrefix[] = ['index', 'timestamp', 'supabase', 'unix', 'none'];

export const MIGRATION_SQL = 'migration.sql';
export const MIGRATION_SNAPSHOT = 'snapshot.json';
const FOLDER_NAME = /^(\d{14})_(.+)$/;

/** The migration folders of a v1-layout folder (`YYYYMMDDHHMMSS_name` holding migration.sql), sorted by name. */
export function migrationFolders(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((entry) => existsSync(join(out, entry, MIGRATION_SQL)) && statSync(join(out, entry)).isDirectory())
    .sort((a, b) => a.localeCompare(b));
}

/** The layout a folder is in, or undefined when it holds no migration yet. */
export function detectLayout(out: string): FolderLayout | undefined {
  const journal = existsSync(journalPath(out));
  const folders = migrationFolders(out).length > 0;
  if (journal && folders) {
    throw new JournalError(
      `${out} holds both layouts: meta/_journal.json and migration folders (${MIGRATION_SQL} in subfolders); ` +
        'finish the conversion with drizzle-cratedb up, or move one of them away',
    );
  }
  return journal ? 'journal' : folders ? 'folders' : undefined;
}

/**
 * The layout generate writes: the folder's own when it has migrations (a journal folder stays one until `up`),
 * otherwise the one of the project's drizzle-orm line (drizzle-kit 1.0's for drizzle-orm 1.x).
 */
export function layoutFor(out: string, root: string): FolderLayout {
  return detectLayout(out) ?? projectLine(root).migrations;
}

/** `YYYYMMDDHHMMSS` in UTC, as drizzle-kit names folders and timestamp-prefixed files. */
export function timestampPrefix(millis: number): string {
  return new Date(millis).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The UTC time a 14-digit prefix stands for, as drizzle-orm 1.0's migrator reads it (`folderMillis`). */
export function prefixMillis(prefix: string): number {
  const part = (from: number, to: number) => Number(prefix.slice(from, to));
  return Date.UTC(part(0, 4), part(4, 6) - 1, part(6, 8), part(8, 10), part(10, 12), part(12, 14));
}

export function cleanName(name: string | undefined): string {
  const clean = (name ?? randomName()).trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  if (!clean) throw new JournalError('--name must contain letters or digits');
  return clean;
}

/** Every migration of the folder, in order, in either layout. */
export function readMigrations(out: string): MigrationFile[] {
  const layout = detectLayout(out);
  if (layout === 'journal') return readJournalFolder(out);
  if (layout === undefined) {
    throw new JournalError(`no migrations in ${out}: neither ${journalPath(out)} nor migration folders exist (run generate first, or check migrationsFolder)`);
  }
  return migrationFolders(out).map((name, idx) => {
    const sql = readFileSync(join(out, name, MIGRATION_SQL), 'utf8');
    const match = FOLDER_NAME.exec(name);
    return { idx, tag: name, when: match ? prefixMillis(match[1]!) : 0, sql, hash: hashMigration(sql), statements: splitStatements(sql) };
  });
}

/** The snapshot the newest migration reached, or the empty one for a new folder. */
export function latestSnapshot(out: string): Snapshot {
  const layout = detectLayout(out);
  if (layout === 'journal') return latestJournalSnapshot(out);
  const last = migrationFolders(out).at(-1);
  if (!last) return emptySnapshot();
  const path = join(out, last, MIGRATION_SNAPSHOT);
  if (!existsSync(path)) throw new JournalError(`${path} is missing: ${last} has no snapshot (run check)`);
  return parseSnapshot(readFileSync(path, 'utf8'), path);
}

/** The number of migrations in the folder, whatever its layout. */
export function migrationCount(out: string): number {
  const layout = detectLayout(out);
  if (layout === 'journal') return readJournal(out).entries.length;
  return migrationFolders(out).length;
}

export interface NewMigration {
  out: string;
  snapshot: Snapshot;
  sql: string;
  name?: string | undefined;
  breakpoints: boolean;
  layout: FolderLayout;
  /** Journal layout only: how the file name is prefixed. Default `index`. */
  prefix?: MigrationPrefix;
  recordHash?: boolean;
  /** The clock, for tests. */
  now?: number;
}

/** Writes a migration in the given layout. */
export function writeNewMigration(options: NewMigration): WrittenMigration {
  if (options.layout === 'journal') return writeJournalMigration(options);
  const { out, snapshot, sql } = options;
  const last = migrationFolders(out).at(-1);
  const lastMatch = last ? FOLDER_NAME.exec(last) : null;
  // drizzle-kit 1.0 keeps every folder at least a second after its parent, so names sort in generation order.
  const after = lastMatch ? prefixMillis(lastMatch[1]!) + 1000 : 0;
  const tag = `${timestampPrefix(Math.max(options.now ?? Date.now(), after))}_${cleanName(options.name)}`;
  const dir = join(out, tag);
  mkdirSync(dir, { recursive: true });
  const sqlPath = join(dir, MIGRATION_SQL);
  const snapshotPath = join(dir, MIGRATION_SNAPSHOT);
  writeFileSync(snapshotPath, serializeSnapshot(snapshot));
  writeFileSync(sqlPath, sql);
  return { tag, sqlPath, snapshotPath };
}
