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

/**
 * A kept view over a table whose column is dropped or renamed, or which is rebuilt: CrateDB would leave the view
 * broken, so the kit drops it before the change and creates it after, or refuses when the view names the column.
 */
describe('views over an altered table', () => {
  const ids = { name: 'ids', definition: 'select "id" from "devices"' };
  const idsOfIds = { name: 'ids_of_ids', schema: 'reports', definition: 'select "id" from "ids"' };
  const other = { name: 'others', definition: 'select "id", "level" from "gadgets"' };
  const withoutLevel = (name: string): TableDefinition => ({ ...table(name), columns: table(name).columns.filter((column) => column.name !== 'level') });
  const renamed = (name: string): TableDefinition => ({
    ...table(name),
    columns: table(name).columns.map((column) => (column.name === 'level' ? { ...column, name: 'lvl' } : column)),
  });

  it('drops a view (and the views reading it) before a column drop and creates them after; other views stay', () => {
    const prev = createSnapshot([table('devices'), table('gadgets')], emptySnapshot().id, undefined, [ids, idsOfIds, other]);
    const next = createSnapshot([withoutLevel('devices'), table('gadgets')], prev.id, undefined, [ids, idsOfIds, other]);
    const changes = diffSnapshots(prev, next, { targetVersion: '6.4' });
    expect(changes.map((change) => change.description)).toEqual([
      '- view "reports"."ids_of_ids" (created again after the change to "devices")',
      '- view "ids" (created again after the change to "devices")',
      '- column "level" of "devices"',
      '+ view "ids" (again, after the change to "devices")',
      '+ view "reports"."ids_of_ids" (again, after the change to "devices")',
    ]);
    const statements = statementsFor(changes);
    expect(statements).toEqual([
      'DROP VIEW "reports"."ids_of_ids"',
      'DROP VIEW "ids"',
      'ALTER TABLE "devices" DROP COLUMN "level"',
      'CREATE VIEW "ids" AS select "id" from "devices"',
      'CREATE VIEW "reports"."ids_of_ids" AS select "id" from "ids"',
    ]);
    for (const statement of statements) expectCrateSql(statement);
  });

  it('refuses a column drop while a kept view names the column, naming view, table and column', () => {
    const prev = createSnapshot([table('devices')], emptySnapshot().id, undefined, [loud]);
    const next = createSnapshot([withoutLevel('devices')], prev.id, undefined, [loud]);
    expect(() => diffSnapshots(prev, next, { targetVersion: '6.4' })).toThrow(ViewDependencyError);
    expect(() => diffSnapshots(prev, next, { targetVersion: '6.4' })).toThrow(/view "loud" reads column "level" of "devices", which this change drops/);
    // The same view changed to stop naming the column: dropped before, created after with its new query.
    const fixed = { name: 'loud', definition: 'select "id" from "devices"' };
    const statements = statementsFor(diffSnapshots(prev, createSnapshot([withoutLevel('devices')], prev.id, undefined, [fixed]), { targetVersion: '6.4' }));
    expect(statements).toEqual(['DROP VIEW "loud"', 'ALTER TABLE "devices" DROP COLUMN "level"', 'CREATE VIEW "loud" AS select "id" from "devices"']);
    for (const statement of statements) expectCrateSql(statement);
  });

  it('refuses a column rename while the view names the old name; a view naming the new one is created again', () => {
    const prev = createSnapshot([table('devices')], emptySnapshot().id, undefined, [loud]);
    const renames = { columns: { 'doc.devices': { level: 'lvl' } } };
    const stale = createSnapshot([renamed('devices')], prev.id, undefined, [loud]);
    expect(() => diffSnapshots(prev, stale, { targetVersion: '6.4', renames })).toThrow(
      /view "loud" reads column "level" of "devices", which this change renames to "lvl"/,
    );
    const updated = { name: 'loud', definition: loud.definition.replaceAll('"level"', '"lvl"') };
    const statements = statementsFor(diffSnapshots(prev, createSnapshot([renamed('devices')], prev.id, undefined, [updated]), { targetVersion: '6.4', renames }));
    expect(statements).toEqual([
      'DROP VIEW "loud"',
      'ALTER TABLE "devices" RENAME COLUMN "level" TO "lvl"',
      'CREATE VIEW "loud" AS select "id", "lvl" from "devices" where "devices"."lvl" > 5',
    ]);
    for (const statement of statements) expectCrateSql(statement);
  });

  it('drops a view around a table rebuild, and refuses one naming a column the rebuild leaves behind', () => {
    // A new primary key is one of the changes CrateDB cannot ALTER: the kit rebuilds the table.
    const rekeyed = (columns: TableDefinition['columns']): TableDefinition => ({ ...table('devices'), columns, primaryKey: { columns: ['id', 'level'] } });
    const notNullLevel = table('devices').columns.map((column) => (column.name === 'level' ? { ...column, notNull: true } : column));
    const prev = createSnapshot([table('devices')], emptySnapshot().id, undefined, [ids, loud]);
    const changes = diffSnapshots(prev, createSnapshot([rekeyed(notNullLevel)], prev.id, undefined, [ids, loud]), { targetVersion: '6.4' });
    expect(changes.map((change) => change.kind)).toEqual(['drop_view', 'drop_view', 'rebuild', 'create_view', 'create_view']);
    const statements = statementsFor(changes);
    expect(statements.slice(0, 2)).toEqual(['DROP VIEW "loud"', 'DROP VIEW "ids"']);
    expect(statements.slice(-2)).toEqual(['CREATE VIEW "ids" AS select "id" from "devices"', `CREATE VIEW "loud" AS ${loud.definition}`]);
    for (const statement of statements) expectCrateSql(statement);

    const extra = { name: 'note', type: { kind: 'scalar', name: 'TEXT' }, notNull: false } as const;
    const withNote = createSnapshot([{ ...table('devices'), columns: [...table('devices').columns, extra] }], emptySnapshot().id, undefined, [
      { name: 'notes', definition: 'select "note" from "devices"' },
    ]);
    const noteLost = createSnapshot([rekeyed(notNullLevel)], withNote.id, undefined, [{ name: 'notes', definition: 'select "note" from "devices"' }]);
    expect(() => diffSnapshots(withNote, noteLost, { targetVersion: '6.4' })).toThrow(
      /view "notes" reads column "note" of "devices", which this change leaves behind in its rebuild/,
    );
  });
});
