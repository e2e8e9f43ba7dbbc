/**
 * Golden tests of the differ and statement rendering for a series of schema edits. Every statement is parsed by
 * CrateDB's grammar (6.1), so nothing newer is emitted by default.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  check,
  clusteredBy,
  crateSchema,
  crateTable,
  fulltextIndex,
  geoShape,
  integer,
  object,
  objectArray,
  partitionedBy,
  primaryKey,
  text,
  timestamp,
  varchar,
  withOptions,
} from 'drizzle-cratedb';
import { describeTable } from 'drizzle-cratedb';
import { diffSnapshots, type Change, type DiffOptions } from '../../src/kit/diff.js';
import { createSnapshot, emptySnapshot, type Snapshot } from '../../src/kit/snapshot.js';
import { changeStatements } from '../../src/kit/statements.js';
import { expectCrateSql } from '../support/grammar.js';

type AnyTable = Parameters<typeof describeTable>[0];

function snap(tables: AnyTable[], prev: Snapshot = emptySnapshot()): Snapshot {
  return createSnapshot(tables.map((table) => describeTable(table)), prev.id);
}

function generate(before: AnyTable[], after: AnyTable[], options: DiffOptions = {}): { changes: Change[]; statements: string[] } {
  const prev = snap(before);
  const next = snap(after, prev);
  const changes = diffSnapshots(prev, next, options);
  const statements = changes.flatMap(changeStatements);
  for (const statement of statements) expectCrateSql(statement);
  return { changes, statements };
}

const v1 = crateTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  age: integer('age'),
});

describe('generate: a series of schema edits', () => {
  it('creates tables from an empty folder', () => {
    const { statements, changes } = generate([], [v1]);
    expect(changes.map((c) => c.kind)).toEqual(['create_table']);
    expect(statements).toEqual(['CREATE TABLE "users" (\n  "id" TEXT NOT NULL,\n  "name" TEXT NOT NULL,\n  "age" INTEGER,\n  PRIMARY KEY ("id")\n)']);
  });

  it('finds no changes in an unchanged schema', () => {
    expect(generate([v1], [v1]).changes).toEqual([]);
  });

  it('adds columns, sub-columns included, with NOT NULL and inline checks', () => {
    const v2 = crateTable('users', {
      id: text('id').primaryKey(),
      name: text('name').notNull(),
      age: integer('age'),
      email: varchar('email', { length: 200 }).notNull(),
      score: integer('score').check('score_positive', sql`score > 0`),
      address: object('address', { columns: { city: text() } }),
    });
    const { statements } = generate([v1], [v2]);
    expect(statements).toEqual([
      'ALTER TABLE "users" ADD COLUMN "email" VARCHAR(200) NOT NULL',
      'ALTER TABLE "users" ADD COLUMN "score" INTEGER CONSTRAINT "score_positive" CHECK (score > 0)',
      'ALTER TABLE "users" ADD COLUMN "address" OBJECT(STRICT) AS ("city" TEXT)',
    ]);
    const v3 = crateTable('users', {
      id: text('id').primaryKey(),
      name: text('name').notNull(),
      age: integer('age'),
      email: varchar('email', { length: 200 }).notNull(),
      score: integer('score').check('score_positive', sql`score > 0`),
      address: object('address', { columns: { city: text(), zip: text() } }),
    });
    expect(generate([v2], [v3]).statements).toEqual([`ALTER TABLE "users" ADD COLUMN "address"['zip'] TEXT`]);
  });

  it('drops columns and tables, flagged as data loss', () => {
    const v2 = crateTable('users', { id: text('id').primaryKey(), name: text('name').notNull() });
    const { changes, statements } = generate([v1], [v2], { renames: {} });
    expect(statements).toEqual(['ALTER TABLE "users" DROP COLUMN "age"']);
    expect(changes[0]).toMatchObject({ kind: 'drop_column', lossy: true, requiresVersion: '5.5' });
    const dropped = generate([v1], []);
    expect(dropped.statements).toEqual(['DROP TABLE "users"']);
    expect(dropped.changes[0]!.lossy).toBe(true);
  });

  it('renames columns and tables when told to', () => {
    const renamed = crateTable('users', { id: text('id').primaryKey(), fullName: text('full_name').notNull(), age: integer('age') });
    const { statements } = generate([v1], [renamed], { renames: { columns: { 'doc.users': { name: 'full_name' } } } });
    expect(statements).toEqual(['ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"']);
    const people = crateTable('people', { id: text('id').primaryKey(), name: text('name').notNull(), age: integer('age') });
    expect(generate([v1], [people], { renames: { tables: { 'doc.users': 'doc.people' } } }).statements).toEqual(['ALTER TABLE "users" RENAME TO "people"']);
    // Without the decision it is a drop and a create.
    expect(generate([v1], [people]).changes.map((c) => c.kind)).toEqual(['create_table', 'drop_table']);
  });

  it('changes WITH settings with SET and RESET, and the shard count', () => {
    const a = crateTable('t', { id: integer('id') }, () => [withOptions({ refresh_interval: 1000, 'translog.durability': 'async' })]);
    const b = crateTable('t', { id: integer('id') }, () => [withOptions({ refresh_interval: 500, number_of_replicas: '1' }), clusteredBy({ shards: 6 })]);
    const { statements } = generate([a], [b]);
    expect(statements).toEqual([
      'ALTER TABLE "t" SET ("blocks.write" = true)',
      'ALTER TABLE "t" SET (number_of_shards = 6)',
      'ALTER TABLE "t" RESET ("blocks.write")',
      'ALTER TABLE "t" SET (number_of_replicas = \'1\', refresh_interval = 500)',
      'ALTER TABLE "t" RESET ("translog.durability")',
    ]);
  });

  it('drops check constraints', () => {
    const a = crateTable('t', { id: integer('id') }, (t) => [check('id_positive', sql`${t.id} > 0`)]);
    const b = crateTable('t', { id: integer('id') });
    expect(generate([a], [b]).statements).toEqual(['ALTER TABLE "t" DROP CONSTRAINT "id_positive"']);
  });

  it('qualifies tables outside the default schema', () => {
    const metrics = crateSchema('metrics');
    const a = metrics.table('m', { id: integer('id') });
    const b = metrics.table('m', { id: integer('id'), v: integer('v') });
    expect(generate([a], [b]).statements).toEqual(['ALTER TABLE "metrics"."m" ADD COLUMN "v" INTEGER']);
  });

  it('does not emit ALTER COLUMN SET DEFAULT (6.3) unless the target allows it', () => {
    const a = crateTable('t', { id: integer('id'), n: integer('n').default(1) });
    const b = crateTable('t', { id: integer('id'), n: integer('n').default(2) });
    const blocked = generate([a], [b]);
    expect(blocked.changes).toHaveLength(1);
    expect(blocked.changes[0]).toMatchObject({ kind: 'rebuild', inPlace: false });
    expect((blocked.changes[0] as Extract<Change, { kind: 'rebuild' }>).reasons[0]).toMatch(/needs CrateDB 6\.3; the target is 6\.1/);
    const prev = snap([a]);
    const changes = diffSnapshots(prev, snap([b], prev), { targetVersion: '6.3' });
    expect(changes.flatMap(changeStatements)).toEqual(['ALTER TABLE "t" ALTER COLUMN "n" SET DEFAULT 2']);
  });

  it('does not emit DROP COLUMN or RENAME COLUMN for servers older than 5.5 / 5.6', () => {
    const b = crateTable('users', { id: text('id').primaryKey(), name: text('name').notNull() });
    const prev = snap([v1]);
    const changes = diffSnapshots(prev, snap([b], prev), { targetVersion: '5.4' });
    expect(changes[0]).toMatchObject({ kind: 'rebuild' });
  });
});

describe('generate: what CrateDB cannot ALTER becomes a rebuild', () => {
  const cases: [string, AnyTable, AnyTable, RegExp][] = [
    ['column type', crateTable('t', { id: integer('id'), v: integer('v') }), crateTable('t', { id: integer('id'), v: text('v') }), /type of column "v".*INTEGER → TEXT/],
    [
      'primary key',
      crateTable('t', { id: integer('id').primaryKey(), v: integer('v') }),
      crateTable('t', { id: integer('id'), v: integer('v') }, (t) => [primaryKey({ columns: [t.id, t.v] })]),
      /primary key of "t": \(id\) → \(id, v\)/,
    ],
    [
      'CLUSTERED BY column',
      crateTable('t', { id: integer('id'), v: integer('v') }),
      crateTable('t', { id: integer('id'), v: integer('v') }, (t) => [clusteredBy({ column: t.v })]),
      /CLUSTERED BY column of "t": none → v/,
    ],
    [
      'PARTITIONED BY',
      crateTable('t', { id: integer('id'), day: timestamp('day') }),
      crateTable('t', { id: integer('id'), day: timestamp('day') }, (t) => [partitionedBy(t.day)]),
      /PARTITIONED BY of "t"/,
    ],
    [
      'generated expression',
      crateTable('t', { id: integer('id'), g: integer('g').generatedAlwaysAs(sql`id + 1`) }),
      crateTable('t', { id: integer('id'), g: integer('g').generatedAlwaysAs(sql`id + 2`) }),
      /generated expression of column "g"/,
    ],
    ['index option', crateTable('t', { v: text('v') }), crateTable('t', { v: text('v').fulltext() }), /index of column "v".*default → fulltext/],
    ['index off', crateTable('t', { v: text('v') }), crateTable('t', { v: text('v').indexOff() }), /index of column "v"/],
    ['analyzer', crateTable('t', { v: text('v').fulltext() }), crateTable('t', { v: text('v').fulltext({ analyzer: 'english' }) }), /index of column "v"/],
    ['geo index', crateTable('t', { s: geoShape('s') }), crateTable('t', { s: geoShape('s', { index: 'quadtree', precision: '1m' }) }), /index of column "s"/],
    ['storage option', crateTable('t', { v: text('v') }), crateTable('t', { v: text('v').columnstore(false) }), /storage \(columnstore\) of column "v"/],
    [
      'object policy',
      crateTable('t', { o: object('o', { policy: 'dynamic' }) }),
      crateTable('t', { o: object('o', { policy: 'strict' }) }),
      /object policy of column "o" of "t": dynamic → strict/,
    ],
    [
      'sub-column type',
      crateTable('t', { o: object('o', { columns: { a: integer() } }) }),
      crateTable('t', { o: object('o', { columns: { a: text() } }) }),
      /type of column "o"\['a'\]/,
    ],
    [
      'object array policy',
      crateTable('t', { o: objectArray('o', { policy: 'dynamic' }) }),
      crateTable('t', { o: objectArray('o', { policy: 'ignored' }) }),
      /object policy of column "o"/,
    ],
    ['NOT NULL', crateTable('t', { v: integer('v') }), crateTable('t', { v: integer('v').notNull() }), /NOT NULL of column "v" of "t": added/],
    ['new column with a DEFAULT', crateTable('t', { v: integer('v') }), crateTable('t', { v: integer('v'), w: integer('w').default(3) }), /new column "w" of "t" has a DEFAULT/],
    [
      'new generated column',
      crateTable('t', { v: integer('v') }),
      crateTable('t', { v: integer('v'), w: integer('w').generatedAlwaysAs(sql`v * 2`) }),
      /new generated column "w"/,
    ],
    [
      'new CHECK on an existing column',
      crateTable('t', { v: integer('v') }),
      crateTable('t', { v: integer('v') }, (t) => [check('v_positive', sql`${t.v} > 0`)]),
      /new CHECK v_positive on "t"/,
    ],
    [
      'changed CHECK',
      crateTable('t', { v: integer('v') }, (t) => [check('c', sql`${t.v} > 0`)]),
      crateTable('t', { v: integer('v') }, (t) => [check('c', sql`${t.v} > 1`)]),
      /CHECK c of "t" changed/,
    ],
    [
      'named full-text index',
      crateTable('t', { a: text('a'), b: text('b') }),
      crateTable('t', { a: text('a'), b: text('b') }, (t) => [fulltextIndex('ft').on(t.a, t.b)]),
      /new full-text index "ft"/,
    ],
    ['static setting', crateTable('t', { v: integer('v') }), crateTable('t', { v: integer('v') }, () => [withOptions({ codec: 'best_compression' })]), /setting codec/],
  ];

  for (const [label, before, after, reason] of cases) {
    it(`${label}: stops with the reason, and rebuilds when asked`, () => {
      const { changes, statements } = generate([before], [after]);
      expect(changes).toHaveLength(1);
      const change = changes[0]!;
      expect(change.kind).toBe('rebuild');
      expect(change.inPlace).toBe(false);
      expect((change as Extract<Change, { kind: 'rebuild' }>).reasons.join('\n')).toMatch(reason);
      // The rebuild: cleanup, create copy, refresh, copy rows, refresh, verify count, swap, drop old.
      expect(statements).toHaveLength(9);
      expect(statements[1]).toMatch(/^-- drizzle-cratedb rebuild "t" step 2\/9 create\nCREATE TABLE "t__rebuild_new"/);
      expect(statements.some((s) => /INSERT INTO "t__rebuild_new" \(.*\) SELECT .* FROM "t"/.test(s))).toBe(true);
      expect(statements[6]).toMatch(/ALTER TABLE "t" RENAME TO "t__rebuild_old"/);
      expect(statements[7]).toMatch(/ALTER TABLE "t__rebuild_new" RENAME TO "t"/);
      expect(statements[8]).toMatch(/DROP TABLE "t__rebuild_old"/);
    });
  }

  it('casts a column whose type changed when copying', () => {
    const { statements } = generate([cases0()[0]], [cases0()[1]]);
    expect(statements[3]).toContain('INSERT INTO "t__rebuild_new" ("id", "v") SELECT "id", CAST("v" AS TEXT) FROM "t"');
  });

  function cases0(): [AnyTable, AnyTable] {
    return [crateTable('t', { id: integer('id'), v: integer('v') }), crateTable('t', { id: integer('id'), v: text('v') })];
  }
});
