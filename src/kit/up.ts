/**
 * `up`: moves a drizzle-kit 0.31 folder (journal) to drizzle-kit 1.0's layout (a folder per migration), as
 * `drizzle-kit up` does. Each `NNNN_name.sql` becomes `YYYYMMDDHHMMSS_name/migration.sql`, named after the time its
 * journal entry records (UTC, at least a second after the one before), with its snapshot as `snapshot.json`.
 *
 * The SQL files are moved byte for byte, so their sha256 stays what the migrations table recorded; the migrator
 * recognises an applied `0000_name` in its new folder by that hash and position (see migrator.ts), so nothing is
 * applied again after the conversion.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkFolder } from './check.js';
import { MIGRATION_SNAPSHOT, MIGRATION_SQL, timestampPrefix } from './folders.js';
import { JournalError, journalPath, readJournal, snapshotPath } from './journal.js';

export interface UpResult {
  /** Old tag → new folder name, in order. */
  readonly moved: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/** The name part of a 0.31 tag: `0003_add_age` → `add_age` (whatever the prefix mode wrote). */
export function tagSuffix(tag: string): string {
  const match = /^\d*_(.+)$/.exec(tag);
  return match ? match[1]! : tag;
}

export function upgradeFolder(out: string): UpResult {
  if (!existsSync(journalPath(out))) {
    throw new JournalError(`nothing to convert: ${journalPath(out)} does not exist (the folder is empty or already in drizzle-kit 1.0's layout)`);
  }
  // A folder with missing files or a broken chain cannot be rebuilt faithfully: refuse, as drizzle-kit up does.
  const problems = checkFolder(out).filter((problem) => problem.kind !== 'edited');
  if (problems.length) {
    throw new JournalError(`up stopped: fix these first (check lists them):\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`);
  }
  const journal = readJournal(out);
  const plan: { from: string; to: string; idx: number }[] = [];
  let previous = -Infinity;
  for (const entry of journal.entries) {
    const second = Math.max(Math.floor(entry.when / 1000) * 1000, previous + 1000);
    previous = second;
    plan.push({ from: entry.tag, to: `${timestampPrefix(second)}_${tagSuffix(entry.tag)}`, idx: entry.idx });
  }
  for (const { to } of plan) {
    if (existsSync(join(out, to))) throw new JournalError(`up stopped: ${join(out, to)} exists already`);
  }
  for (const { from, to, idx } of plan) {
    mkdirSync(join(out, to));
    renameSync(join(out, `${from}.sql`), join(out, to, MIGRATION_SQL));
    renameSync(snapshotPath(out, idx), join(out, to, MIGRATION_SNAPSHOT));
  }
  // The journal goes last: until here a failure leaves it, and `check` shows what moved.
  rmSync(journalPath(out));
  const meta = join(out, 'meta');
  if (readdirSync(meta).length === 0) rmdirSync(meta);
  return { moved: plan.map(({ from, to }) => ({ from, to })) };
}
