/** What the kit's unit tests share: a table, a folder of two migrations, and an Output that records what it prints. */
import { crateTable, describeTable, integer, text } from 'drizzle-cratedb';
import type { FolderLayout } from '../../src/kit/folders.js';
import { writeNewMigration } from '../../src/kit/folders.js';
import { renderMigration } from '../../src/kit/journal.js';
import type { Output } from '../../src/kit/output.js';
import { createSnapshot, emptySnapshot, type Snapshot } from '../../src/kit/snapshot.js';

export const users = crateTable('users', { id: text('id').primaryKey(), n: integer('n') });

/** Two migrations, the second a second before the first in wall time to show ordering does not rely on the clock. */
export function writeTwo(out: string, layout: FolderLayout, now = Date.UTC(2026, 0, 2, 3, 4, 5, 678)): Snapshot[] {
  const first = createSnapshot([describeTable(users)], emptySnapshot().id);
  const second = createSnapshot([], first.id);
  writeNewMigration({ out, snapshot: first, sql: renderMigration(['CREATE TABLE "users" (id TEXT)'], true), name: 'init', breakpoints: true, layout, now });
  writeNewMigration({ out, snapshot: second, sql: renderMigration(['DROP TABLE "users"', 'SELECT 1'], true), name: 'drop', breakpoints: true, layout, now });
  return [first, second];
}

/** An Output without colours whose printed lines `text()` returns. */
export function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  const id = (line: string) => line;
  return { color: false, line: (line = '') => void lines.push(line), error: (line) => void lines.push(line), green: id, red: id, yellow: id, dim: id, bold: id, text: () => lines.join('\n') };
}
