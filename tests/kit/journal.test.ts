/** The migration folder of drizzle-kit 0.31 (journal, snapshots, statement breakpoints) and `check` on it, without a database. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crateTable, integer, text } from 'drizzle-cratedb';
import { describeTable } from 'drizzle-cratedb';
import { checkFolder } from '../../src/kit/check.js';
import { latestSnapshot, readMigrationFolder, renderMigration, splitStatements, writeMigration } from '../../src/kit/journal.js';
import { createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';
import { tempDirs } from '../support/temp-dirs.js';

const tempDir = tempDirs('kit-');

const users = crateTable('users', { id: text('id').primaryKey(), n: integer('n') });

describe('migration folder', () => {
  it('writes drizzle-kit layout and reads it back', () => {
    const out = tempDir();
    const snapshot = createSnapshot([describeTable(users)], emptySnapshot().id);
    const written = writeMigration({ out, snapshot, sql: renderMigration(['CREATE TABLE a (x INT)', 'CREATE TABLE b (y INT)'], true), name: 'init', breakpoints: true });
    expect(written.tag).toBe('0000_init');
    expect(readFileSync(join(out, '0000_init.sql'), 'utf8')).toBe('CREATE TABLE a (x INT);\n--> statement-breakpoint\nCREATE TABLE b (y INT);\n');
    const journal = JSON.parse(readFileSync(join(out, 'meta', '_journal.json'), 'utf8'));
    expect(journal).toMatchObject({ dialect: 'cratedb', entries: [{ idx: 0, tag: '0000_init', breakpoints: true }] });
    expect(latestSnapshot(out).id).toBe(snapshot.id);
    expect(readMigrationFolder(out)[0]!.statements).toEqual(['CREATE TABLE a (x INT)', 'CREATE TABLE b (y INT)']);
    expect(checkFolder(out)).toEqual([]);
  });

  it('check reports missing files, orphans, broken chains and edits', () => {
    const out = tempDir();
    const first = createSnapshot([], emptySnapshot().id);
    writeMigration({ out, snapshot: first, sql: 'CREATE TABLE a (x INT);\n', name: 'a', breakpoints: true });
    writeMigration({ out, snapshot: createSnapshot([], 'not-the-previous-id'), sql: 'CREATE TABLE b (x INT);\n', name: 'b', breakpoints: true });
    writeFileSync(join(out, '0000_a.sql'), 'CREATE TABLE a (x TEXT);\n');
    writeFileSync(join(out, '0007_stray.sql'), 'SELECT 1;\n');
    rmSync(join(out, '0001_b.sql'));
    const kinds = checkFolder(out).map((problem) => problem.kind).sort();
    expect(kinds).toEqual(['broken-chain', 'edited', 'missing-sql', 'orphan-sql']);
  });

  it('splits statements at breakpoints and top-level semicolons, keeping strings and comments intact', () => {
    expect(splitStatements("SELECT ';' AS a; SELECT 2 -- one; two\n;\n--> statement-breakpoint\n-- only a comment\n")).toEqual([
      "SELECT ';' AS a",
      'SELECT 2 -- one; two',
    ]);
  });
});
