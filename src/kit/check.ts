/**
 * `check`: is the migration folder consistent? Journal entries without files, files without entries, snapshots
 * that do not chain, migrations edited after they were generated.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { detectLayout, migrationFolders, MIGRATION_SNAPSHOT, MIGRATION_SQL } from './folders.js';
import { hashMigration, journalPath, prefix, readJournal } from './journal.js';
import { ORIGIN_ID, parseSnapshot, type Snapshot } from './snapshot.js';

export interface CheckProblem {
  readonly kind: 'missing-sql' | 'missing-snapshot' | 'orphan-sql' | 'orphan-snapshot' | 'broken-chain' | 'edited' | 'invalid' | 'order';
  readonly message: string;
}

export function checkFolder(out: string): CheckProblem[] {
  const problems: CheckProblem[] = [];
  let layout;
  try {
    layout = detectLayout(out);
  } catch (error) {
    return [{ kind: 'invalid', message: (error as Error).message }];
  }
  if (layout === 'folders') return checkFolders(out);
  if (!existsSync(journalPath(out))) {
    if (existsSync(out) && readdirSync(out).some((file) => file.endsWith('.sql'))) {
      problems.push({ kind: 'invalid', message: `${journalPath(out)} is missing but ${out} holds .sql files` });
    }
    return problems;
  }
  let journal;
  try {
    journal = readJournal(out);
  } catch (error) {
    return [{ kind: 'invalid', message: (error as Error).message }];
  }
  const tags = new Set(journal.entries.map((entry) => entry.tag));
  const indexes = new Set(journal.entries.map((entry) => prefix(entry.idx)));
  let previous: Snapshot | undefined;
  let lastWhen = -Infinity;
  journal.entries.forEach((entry, position) => {
    if (entry.idx !== position) problems.push({ kind: 'order', message: `journal entry ${entry.tag} has idx ${entry.idx}, expected ${position}` });
    if (entry.when <= lastWhen) problems.push({ kind: 'order', message: `journal entry ${entry.tag} is not newer than the entry before it` });
    lastWhen = entry.when;
    const sqlFile = join(out, `${entry.tag}.sql`);
    if (!existsSync(sqlFile)) problems.push({ kind: 'missing-sql', message: `${entry.tag}: the journal lists it but ${sqlFile} does not exist` });
    else if (entry.hash && hashMigration(readFileSync(sqlFile, 'utf8')) !== entry.hash) {
      problems.push({ kind: 'edited', message: `${entry.tag}.sql was edited after it was generated (hash mismatch); a database that applied it has the old version` });
    }
    previous = chainedSnapshot(entry.tag, join(out, 'meta', `${prefix(entry.idx)}_snapshot.json`), position, previous, problems);
  });
  for (const file of readdirSync(out)) {
    if (file.endsWith('.sql') && !tags.has(file.slice(0, -4))) problems.push({ kind: 'orphan-sql', message: `${join(out, file)} is not in the journal` });
  }
  const meta = join(out, 'meta');
  for (const file of readdirSync(meta)) {
    const match = /^(\d+)_snapshot\.json$/.exec(file);
    if (match && !indexes.has(match[1]!)) problems.push({ kind: 'orphan-snapshot', message: `${join(meta, file)} belongs to no journal entry` });
  }
  return problems;
}

/** drizzle-kit 1.0's layout: every folder named `YYYYMMDDHHMMSS_name`, with its snapshot, the snapshots chained. */
function checkFolders(out: string): CheckProblem[] {
  const problems: CheckProblem[] = [];
  let previous: Snapshot | undefined;
  migrationFolders(out).forEach((name, position) => {
    if (!/^\d{14}_./.test(name)) problems.push({ kind: 'order', message: `${name}: a migration folder's name must start with its UTC time, YYYYMMDDHHMMSS_` });
    previous = chainedSnapshot(name, join(out, name, MIGRATION_SNAPSHOT), position, previous, problems);
  });
  for (const entry of readdirSync(out)) {
    if (entry.endsWith('.sql')) problems.push({ kind: 'orphan-sql', message: `${join(out, entry)} is outside a migration folder (each migration is <folder>/${MIGRATION_SQL})` });
    else if (existsSync(join(out, entry, MIGRATION_SNAPSHOT)) && !existsSync(join(out, entry, MIGRATION_SQL))) {
      problems.push({ kind: 'missing-sql', message: `${entry}: has a snapshot but no ${MIGRATION_SQL}` });
    }
  }
  return problems;
}

/**
 * Reads the snapshot of the migration at `position` and checks that it follows `previous`, whichever layout it comes
 * from. Returns the snapshot, or undefined (after noting why) when it cannot be read, which restarts the chain.
 */
function chainedSnapshot(label: string, snapshotFile: string, position: number, previous: Snapshot | undefined, problems: CheckProblem[]): Snapshot | undefined {
  if (!existsSync(snapshotFile)) {
    problems.push({ kind: 'missing-snapshot', message: `${label}: its snapshot ${snapshotFile} does not exist` });
    return undefined;
  }
  let snapshot: Snapshot;
  try {
    snapshot = parseSnapshot(readFileSync(snapshotFile, 'utf8'), snapshotFile);
  } catch (error) {
    problems.push({ kind: 'invalid', message: (error as Error).message });
    return undefined;
  }
  const expected = position === 0 ? ORIGIN_ID : previous?.id;
  if (expected !== undefined && snapshot.prevId !== expected) {
    problems.push({
      kind: 'broken-chain',
      message: `${label}: its snapshot follows ${snapshot.prevId}, but the migration before it reached ${expected} (migrations generated on two branches? regenerate the newer one)`,
    });
  }
  return snapshot;
}
