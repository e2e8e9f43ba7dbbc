/**
 * Views in the kit's diff and statements: created after the tables and the views they read, replaced when the
 * definition changes (not when only CrateDB's formatting differs), dropped before table changes, and a dropped table
 * that a kept view reads refused.
 */
import { describe, expect, it } from 'vitest';
import type { TableDefinition } from '../../src/columns/definition.js';
import { diffSnapshots } from '../../src/kit/diff.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { createSnapshot, emptySnapshot, parseSnapshot, serializeSnapshot } from '../../src/kit/snapshot.js';
import { statementsFor } from '../../src/kit/statements.js';
import { ViewDependencyError } from '../../src/kit/views.js';
import { expectCrateSql } from '../support/grammar.js';

const table = (name: string): TableDefinition => ({
  name,
  columns: [{ name: 'id', type: { kind: 'scalar', name: 'UUID' }, notNull: true }, { name: 'level', type: { kind: 'scalar', name: 'BYTE' }, notNull: false }],
  primaryKey: { columns: ['id'] },
  checks: [],
  fulltextIndexes: [],
  partitionedBy: [],
  settings: {},
});
const loud = { name: 'loud', definition: 'select "id", "level" from "devices" where "devices"."level" > 5' };
const top = { name: 'top', schema: 'reports', definition: 'select "id" from "loud"' };

describe('views in the kit', () => {
  it('generate from empty: tables, then views in the order they read each other', () => {
    const next = createSnapshot([table('devices')], emptySnapshot().id, undefined, [top, loud]);
    const statements = statementsFor(diffSnapshots(emptySnapshot(), next, { targetVersion: '6.4' }));
    expect(statements).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "reports"',
      expect.stringMatching(/^CREATE TABLE "devices"/),
      'CREATE VIEW "loud" AS select "id", "level" from "devices" where "devices"."level" > 5',
      'CREATE VIEW "reports"."top" AS select "id" from "loud"',
    ]);
    for (const statement of statements) expectCrateSql(statement);
    // Snapshots keep views through a write and a read.
    expect(parseSnapshot(serializeSnapshot(next), 'test').views).toEqual(next.views);
  });

  it('replaces a changed view, and only a changed one: CrateDB re-formatting is no change', () => {
    const prev = createSnapshot([table('devices')], emptySnapshot().id, undefined, [
      { name: 'loud', definition: 'SELECT\n "id"\n, "level"\nFROM "devices"\nWHERE "devices"."level" > 5\n' },
      top,
    ]);
    expect(diffSnapshots(prev, createSnapshot([table('devices')], prev.id, undefined, [loud, top]))).toEqual([]);
    const changed = createSnapshot([table('devices')], prev.id, undefined, [{ ...loud, definition: loud.definition.replace('> 5', '> 9') }, top]);
    const changes = diffSnapshots(prev, changed);
    expect(changes.map((change) => change.description)).toEqual(['~ view "loud" (definition changed)']);
    expect(statementsFor(changes)).toEqual(['CREATE OR REPLACE VIEW "loud" AS select "id", "level" from "devices" where "devices"."level" > 9']);
    expectCrateSql(statementsFor(changes)[0]!);
  });

  it('drops views before the tables they read, and refuses to drop a table a kept view reads', () => {
    const prev = createSnapshot([table('devices')], emptySnapshot().id, undefined, [loud, top]);
    const statements = statementsFor(diffSnapshots(prev, createSnapshot([], prev.id), { targetVersion: '6.4' }));
    expect(statements).toEqual(['DROP VIEW "reports"."top"', 'DROP VIEW "loud"', 'DROP TABLE "devices"', 'DROP SCHEMA IF EXISTS "reports"']);
    for (const statement of statements) expectCrateSql(statement);
    expect(() => diffSnapshots(prev, createSnapshot([], prev.id, undefined, [loud, top]))).toThrow(ViewDependencyError);
    expect(() => diffSnapshots(prev, createSnapshot([], prev.id, undefined, [loud, top]))).toThrow(/view "loud" reads "devices", which this change drops or renames/);
    expect(() => diffSnapshots(prev, createSnapshot([table('gadgets')], prev.id, undefined, [loud]), { renames: { tables: { 'doc.devices': 'doc.gadgets' } } })).toThrow(
      /view "loud" reads "devices"/,
    );
  });

  it('refuses a cycle of views', () => {
    const next = createSnapshot([], emptySnapshot().id, undefined, [
      { name: 'a', definition: 'select x from b' },
      { name: 'b', definition: 'select x from a' },
    ]);
    expect(() => diffSnapshots(emptySnapshot(), next)).toThrow(/view "a": views read each other in a cycle/);
  });

  it('pull writes a view with its columns and CrateDB\'s text', () => {
    const source = writeSchemaSource([table('devices')], {}, [
      { name: 'loud', definition: 'SELECT\n "id"\nFROM "devices"\nWHERE "note" = \'`${x}`\'\n', columns: [{ name: 'id', type: { kind: 'scalar', name: 'UUID' } }, { name: 'tags', type: { kind: 'array', element: { kind: 'scalar', name: 'TEXT' } } }] },
    ]);
    expect(source).toContain("import { sql } from 'drizzle-orm';");
    expect(source).toContain("export const loud = crateView('loud', {\n    id: uuid('id'),\n    tags: text('tags').array(),\n}).as(");
    expect(source).toContain('sql`SELECT\n "id"\nFROM "devices"\nWHERE "note" = \'\\`\\${x}\\`\'\n`');
  });
});
