/** Schemas in the kit: created for a new crateSchema, dropped when no table names them, gated by the target version. */
import { describe, expect, it } from 'vitest';
import { crateSchema, crateTable, describeTable, integer } from 'drizzle-cratedb';
import { diffSnapshots } from '../../src/kit/diff.js';
import { createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';
import { statementsFor } from '../../src/kit/statements.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';

const audit = crateSchema('audit');
const events = audit.table('events', { id: integer().primaryKey() });
const notes = crateTable('notes', { id: integer().primaryKey() });
const snapshot = (tables: Parameters<typeof describeTable>[0][]) => createSnapshot(tables.map((table) => describeTable(table)), emptySnapshot().id);

describe('schemas in generate and push', () => {
  it('creates a schema a new crateSchema needs, before its tables', () => {
    const statements = statementsFor(diffSnapshots(snapshot([notes]), snapshot([notes, events]), { targetVersion: '6.4' }));
    expect(statements[0]).toBe('CREATE SCHEMA IF NOT EXISTS "audit"');
    expect(statements[1]).toMatch(/^CREATE TABLE "audit"."events"/);
  });

  it('drops a schema no table names any more, after its tables, only if it is empty', () => {
    const changes = diffSnapshots(snapshot([notes, events]), snapshot([notes]), { targetVersion: '6.4' });
    expect(changes.map((change) => change.kind)).toEqual(['drop_table', 'drop_schema']);
    expect(statementsFor(changes).at(-1)).toBe('DROP SCHEMA IF EXISTS "audit"');
  });

  it('leaves a schema that still has a table, and the default schema, alone', () => {
    const other = audit.table('other', { id: integer().primaryKey() });
    expect(diffSnapshots(snapshot([events, other]), snapshot([other]), { targetVersion: '6.4' }).map((change) => change.kind)).toEqual(['drop_table']);
    expect(diffSnapshots(emptySnapshot(), snapshot([notes]), { targetVersion: '6.4' }).map((change) => change.kind)).toEqual(['create_table']);
  });

  it('writes no schema DDL for a target before 6.2, where CREATE TABLE makes the schema', () => {
    expect(diffSnapshots(snapshot([]), snapshot([events]), { targetVersion: '6.1' }).map((change) => change.kind)).toEqual(['create_table']);
    expect(diffSnapshots(snapshot([events]), snapshot([]), { targetVersion: '6.1' }).map((change) => change.kind)).toEqual(['drop_table']);
  });

  it('pull writes crateSchema for a table outside the default schema', () => {
    const source = writeSchemaSource([describeTable(events)]);
    expect(source).toContain("export const auditSchema = crateSchema('audit');");
    expect(source).toContain("auditSchema.table(\n  'events',");
  });
});
