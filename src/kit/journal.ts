/**
 * drizzle-kit's migration folder: `NNNN_<name>.sql` with `--> statement-breakpoint` between statements,
 * `meta/_journal.json` listing them, and `meta/NNNN_snapshot.json` holding the schema each one reaches.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptySnapshot, parseSnapshot, serializeSnapshot, SNAPSHOT_VERSION, type Snapshot } from './snapshot.js';
import { CrateMigrationError } from '../shared/errors.js';

export const BREAKPOINT = '--> statement-breakpoint';

export interface JournalEntry {
  idx: number;
  version: string;
  /** Milliseconds since the epoch when the migration was generated. */
  when: number;
  tag: string;
  breakpoints: boolean;
  /** sha256 of the .sql file as generated, so check can tell an edited migration; absent for --custom ones. */
  hash?: string;
}

export interface Journal {
  version: string;
  dialect: 'cratedb';
  entries: JournalEntry[];
}

export class JournalError extends CrateMigrationError {
  static override readonly errorName: string = 'JournalError';
}

export const journalPath = (out: string) => join(out, 'meta', '_journal.json');
export const snapshotPath = (out: string, idx: number) => join(out, 'meta', `${prefix(idx)}_snapshot.json`);
export const prefix = (idx: number) => String(idx).padStart(4, '0');

export function readJournal(out: string): Journal {
  const path = journalPath(out);
  if (!existsSync(path)) return { version: SNAPSHOT_VERSION, dialect: 'cratedb', entries: [] };
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
  } catch (error) {
    throw new JournalError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!journal || !Array.isArray(journal.entries)) throw new JournalError(`${path}: no entries list`);
  if ((journal.dialect as string) !== 'cratedb') {
    throw new JournalError(`${path}: dialect is ${JSON.stringify(journal.dialect)}; this folder belongs to drizzle-kit's ${journal.dialect} dialect, not drizzle-cratedb`);
  }
  return journal;
}

/** The snapshot the newest migration reached, or the empty one for a new folder. */
export function latestSnapshot(out: string, journal: Journal = readJournal(out)): Snapshot {
  const last = journal.entries.at(-1);
  if (!last) return emptySnapshot();
  const path = snapshotPath(out, last.idx);
  if (!existsSync(path)) throw new JournalError(`${path} is missing: the journal lists ${last.tag} but its snapshot is gone (run check)`);
  return parseSnapshot(readFileSync(path, 'utf8'), path);
}

const ADJECTIVES = ['amber', 'brave', 'calm', 'daring', 'eager', 'fancy', 'gentle', 'happy', 'icy', 'jolly', 'keen', 'lively', 'mellow', 'noble', 'odd', 'proud', 'quiet', 'rapid', 'sunny', 'tidy', 'urban', 'vivid', 'warm', 'young', 'zesty'];
const NOUNS = ['anchor', 'badger', 'comet', 'delta', 'ember', 'falcon', 'glacier', 'harbor', 'island', 'jaguar', 'kernel', 'lantern', 'meadow', 'nebula', 'orchid', 'pebble', 'quartz', 'river', 'summit', 'tundra', 'umbra', 'valley', 'willow', 'yarrow', 'zephyr'];

export function randomName(): string {
  const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)]!;
  return `${pick(ADJECTIVES)}_${pick(NOUNS)}`;
}

/**
 * The file name (without .sql) drizzle-kit 0.31 gives a migration: `<prefix>_<name>`, the prefix per
 * `migrations.prefix`: the index (`0000`), the UTC time (`20240627123900`, also for `supabase`), unix seconds, or
 * nothing (`none`: drizzle-kit then writes `_<name>`).
 */
export function migrationTag(idx: number, name: string | undefined, mode: 'index' | 'timestamp' | 'supabase' | 'unix' | 'none' = 'index', now = Date.now()): string {
  const clean = (name ?? randomName()).trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  if (!clean) throw new JournalError('--name must contain letters or digits');
  const head =
    mode === 'index'
      ? prefix(idx)
      : mode === 'timestamp' || mode === 'supabase'
        ? new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14)
        : mode === 'unix'
          ? String(Math.floor(now / 1000))
          : '';
  return `${head}_${clean}`;
}

export function renderMigration(statements: readonly string[], breakpoints: boolean): string {
  const terminated = statements.map((statement) => `${statement};`);
  return `${terminated.join(breakpoints ? `\n${BREAKPOINT}\n` : '\n')}\n`;
}

export const CUSTOM_MIGRATION = '-- Custom SQL migration file: put your statements below, separated by --> statement-breakpoint lines.\n';

export interface WrittenMigration {
  readonly tag: string;
  readonly sqlPath: string;
  readonly snapshotPath: string;
}

/** Writes `NNNN_name.sql`, its snapshot and the journal entry. */
export function writeMigration(options: {
  out: string;
  snapshot: Snapshot;
  sql: string;
  name?: string | undefined;
  breakpoints: boolean;
  journal?: Journal;
  /** Record the file's hash (not for --custom migrations, which are meant to be edited). */
  recordHash?: boolean;
  prefix?: 'index' | 'timestamp' | 'supabase' | 'unix' | 'none';
  now?: number;
}): WrittenMigration {
  const { out, snapshot, sql, breakpoints } = options;
  const journal = options.journal ?? readJournal(out);
  const idx = journal.entries.length ? journal.entries.at(-1)!.idx + 1 : 0;
  const now = options.now ?? Date.now();
  const tag = migrationTag(idx, options.name, options.prefix, now);
  if (journal.entries.some((entry) => entry.tag === tag)) throw new JournalError(`a migration named ${tag} exists already; give another --name`);
  mkdirSync(join(out, 'meta'), { recursive: true });
  const snapshotFile = snapshotPath(out, idx);
  writeFileSync(snapshotFile, serializeSnapshot(snapshot));
  const sqlPath = join(out, `${tag}.sql`);
  writeFileSync(sqlPath, sql);
  const last = journal.entries.at(-1);
  const when = Math.max(now, last ? last.when + 1 : 0);
  const entry: JournalEntry = { idx, version: SNAPSHOT_VERSION, when, tag, breakpoints };
  if (options.recordHash ?? true) entry.hash = hashMigration(sql);
  journal.entries.push(entry);
  writeFileSync(journalPath(out), `${JSON.stringify(journal, null, 2)}\n`);
  return { tag, sqlPath, snapshotPath: snapshotFile };
}

export interface MigrationFile {
  readonly idx: number;
  readonly tag: string;
  readonly when: number;
  readonly sql: string;
  /** sha256 of the file, as drizzle-orm's migrator computes it. */
  readonly hash: string;
  readonly statements: readonly string[];
}

export function hashMigration(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** The migrations of a folder in journal order, each split into statements. */
export function readMigrationFolder(out: string): MigrationFile[] {
  if (!existsSync(journalPath(out))) {
    throw new JournalError(`no migrations: ${journalPath(out)} does not exist (run generate first, or check migrationsFolder)`);
  }
  const journal = readJournal(out);
  return journal.entries.map((entry) => {
    const path = join(out, `${entry.tag}.sql`);
    if (!existsSync(path)) throw new JournalError(`${path} is missing: the journal lists ${entry.tag} (run check)`);
    const sql = readFileSync(path, 'utf8');
    return { idx: entry.idx, tag: entry.tag, when: entry.when, sql, hash: hashMigration(sql), statements: splitStatements(sql) };
  });
}

/**
 * Splits a migration into statements: at `--> statement-breakpoint` lines and at top-level semicolons (CrateDB's
 * HTTP endpoint takes one statement per request). Comment-only pieces are dropped; a statement keeps the comments
 * in front of it.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  for (const chunk of sql.split(/^\s*--> statement-breakpoint\s*$/m)) {
    let current = '';
    let i = 0;
    while (i < chunk.length) {
      const char = chunk[i]!;
      if (char === "'" || char === '"') {
        let j = i + 1;
        while (j < chunk.length) {
          if (chunk[j] === char && chunk[j + 1] === char) j += 2;
          else if (chunk[j] === char) break;
          else j++;
        }
        current += chunk.slice(i, j + 1);
        i = j + 1;
      } else if (char === '-' && chunk[i + 1] === '-') {
        const end = chunk.indexOf('\n', i);
        const stop = end < 0 ? chunk.length : end + 1;
        current += chunk.slice(i, stop);
        i = stop;
      } else if (char === '/' && chunk[i + 1] === '*') {
        const end = chunk.indexOf('*/', i + 2);
        const stop = end < 0 ? chunk.length : end + 2;
        current += chunk.slice(i, stop);
        i = stop;
      } else if (char === ';') {
        statements.push(current);
        current = '';
        i++;
      } else {
        current += char;
        i++;
      }
    }
    statements.push(current);
  }
  return statements.map((statement) => statement.trim()).filter((statement) => stripComments(statement).trim().length > 0);
}

export function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*(\n|$)/g, '\n').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** Files of the folder that look like migrations (`NNNN_*.sql`). */
export function migrationFilesOnDisk(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((file) => /^\d{4,}_.*\.sql$/.test(file))
    .sort();
}
