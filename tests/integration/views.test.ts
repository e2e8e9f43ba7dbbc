/**
 * Views on a real CrateDB: a table with uuid and byte columns and views over it, made by createTables, read with
 * typed selects, and the refusals checked against what the server itself refuses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as orm from 'drizzle-orm';
import { eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  byte,
  crateMaterializedView,
  crateSchema,
  crateTable,
  crateView,
  createTables,
  CrateSchemaError,
  CrateUnsupportedError,
  describeTable,
  describeView,
  drizzle,
  dropTables,
  integer,
  isCrateTable,
  isCrateView,
  primaryKey,
  text,
  uuid,
  type CrateDB,
} from 'drizzle-cratedb';
import { CrateClient } from '../../src/driver/index.js';
import { normalizeViewDefinition } from '../../src/tables/views.js';
import { diffSnapshots } from '../../src/kit/diff.js';
import { introspect } from '../../src/kit/introspect.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';
import { statementsFor } from '../../src/kit/statements.js';
import { ViewDependencyError } from '../../src/kit/views.js';
import { expectCrateSql } from '../support/grammar.js';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';
import { currentLine } from '../support/lines.js';

describeCrate('views on CrateDB', () => {
  let client: CrateClient;
  let db: CrateDB;
  const schemaName = uniqueName('vs');
  const devices = crateTable(uniqueName('vdevices'), {
    id: uuid().primaryKey(),
    name: text().notNull(),
    level: byte(),
  });
  const loudName = uniqueName('loud');
  const loud = crateView(loudName).as((qb) => qb.select({ id: devices.id, name: devices.name, level: devices.level }).from(devices).where(gt(devices.level, 5)));
  const counts = crateSchema(schemaName)
    .view(uniqueName('counts'), { name: text(), n: integer() })
    .as(sql`select name, count(*) as n from ${loud} where name <> 'it''s' group by name`);

  beforeAll(async () => {
    client = testClient();
    db = drizzle({ client });
    // Out of order on purpose: createTables puts the table first and the views after what they read.
    await createTables(db, [counts, loud, devices]);
  });
  afterAll(async () => {
    await dropTables(db, [devices, loud, counts]).catch(() => undefined);
    await client.close();
  });

  it('selects from views over a table with uuid and byte columns, typed', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await db.insert(devices).values([
      { id: ids[0]!, name: 'fan', level: 9 },
      { id: ids[1]!, name: 'fan', level: 127 },
      { id: ids[2]!, name: 'clock', level: -128 },
    ]);
    await db.refresh(devices);
    const rows = await db.select().from(loud).where(eq(loud.level, 127));
    expect(rows).toEqual([{ id: ids[1], name: 'fan', level: 127 }]);
    expect(await db.select().from(counts)).toEqual([{ name: 'fan', n: 2 }]);
  });

  // drizzle-orm v1's defineRelations takes views; 0.45's relations() does not (refused, see tests/lines/drizzle-045).
  it.runIf(currentLine() === 'v1')('relational queries (drizzle v1) load views and relations between views and tables', async () => {
    type Query = Record<string, { findMany(config?: object): Promise<unknown[]> }>;
    const defineRelations = (orm as unknown as { defineRelations: (schema: object, build: (r: any) => object) => object }).defineRelations;
    const relations = defineRelations({ devices, loud, counts }, (r) => ({
      loud: { device: r.one.devices({ from: r.loud.id, to: r.devices.id }), count: r.one.counts({ from: r.loud.name, to: r.counts.name }) },
      devices: { loudRow: r.one.loud({ from: r.devices.id, to: r.loud.id }) },
    }));
    const rdb = drizzle({ client, relations } as never) as unknown as { query: Query };
    const devicesById = new Map((await db.select().from(devices)).map((row) => [row.id, row]));
    const rows = (await rdb.query['loud']!.findMany({ orderBy: { level: 'asc' }, with: { device: { columns: { name: true } }, count: true } })) as {
      id: string;
      level: number;
    }[];
    expect(rows).toEqual(
      [9, 127].map((level) => {
        const id = [...devicesById.values()].find((row) => row.level === level)!.id;
        return { id, name: 'fan', level, device: { name: 'fan' }, count: { name: 'fan', n: 2 } };
      }),
    );
    const withRow = (await rdb.query['devices']!.findMany({ columns: { level: true }, orderBy: { level: 'asc' }, with: { loudRow: { columns: { level: true } } } })) as unknown[];
    expect(withRow).toEqual([
      { level: -128, loudRow: null },
      { level: 9, loudRow: { level: 9 } },
      { level: 127, loudRow: { level: 127 } },
    ]);
  });

  it('CrateDB stores its own formatting of the query, which compares equal to what was sent', async () => {
    for (const view of [loud, counts]) {
      const definition = describeView(view);
      const result = await client.sql('select view_definition from information_schema.views where table_name = ? and table_schema = ?', [
        definition.name,
        definition.schema ?? 'doc',
      ]);
      const stored = result.rows[0]![0] as string;
      expect(stored).not.toBe(definition.definition);
      expect(normalizeViewDefinition(stored)).toBe(normalizeViewDefinition(definition.definition));
    }
  });

  it('refuses before sending what the server refuses too', async () => {
    // Statements meant to fail, sent past the grammar check of testClient().
    const raw = new CrateClient({ servers: [crateUrl!] });
    expect(() => crateView(uniqueName('w')).with({ checkOption: 'cascaded' })).toThrow(CrateSchemaError);
    await expect(raw.sql(`create view ${uniqueName('w')} with (check_option = 'local') as select 1`)).rejects.toThrow(/ParsingException|mismatched input|no viable alternative/);
    expect(() => crateMaterializedView('m')).toThrow(CrateUnsupportedError);
    await expect(raw.sql(`create materialized view ${uniqueName('m')} as select 1`)).rejects.toThrow(/ParsingException|no viable alternative/);

    // A cycle: CrateDB accepts the second view (it checks only for a view reading itself); createTables does not.
    const a = crateView(uniqueName('cyc_a'), { x: integer() }).as(sql.raw('select 1 as x'));
    const aName = describeView(a).name;
    const b = crateView(uniqueName('cyc_b'), { x: integer() }).as(sql.raw(`select x from ${aName}`));
    const cyclic = crateView(aName, { x: integer() }).as(sql.raw(`select x from ${describeView(b).name}`));
    await expect(createTables(db, [b, cyclic])).rejects.toThrow(/views read each other in a cycle/);
    const self = crateView(uniqueName('self'), { x: integer() }).as(sql.raw('select 1 as x'));
    const selfName = describeView(self).name;
    await expect(createTables(db, [crateView(selfName, { x: integer() }).as(sql.raw(`select x from ${selfName}`))])).rejects.toThrow(CrateSchemaError);
    await createTables(db, [self]);
    await expect(raw.sql(`create or replace view ${selfName} as select x from ${selfName}`)).rejects.toThrow(/references itself/);
    await dropTables(db, [self]);
    await raw.close();
  });

  it('pull, generate, push and check: the pulled views diff clean, a changed view is replaced, a table under a view is not dropped', async () => {
    const wanted = new Set([describeTable(devices).name, describeView(loud).name, describeView(counts).name]);
    const live = await introspect(client, { schemaFilter: ['doc', schemaName], tablesFilter: (name) => wanted.has(name) });
    expect(live.views.map((view) => view.name).sort()).toEqual([describeView(counts).name, describeView(loud).name].sort());
    const source = writeSchemaSource(live.tables, {}, live.views);
    expect(source).toContain(`.view('${describeView(counts).name}', {\n    name: text('name'),\n    n: bigint('n'),`);
    expect(source).toContain(`export const ${describeView(loud).name.replace(/_(.)/g, (_, c: string) => c.toUpperCase())} = crateView('${describeView(loud).name}', {\n    id: uuid('id'),`);
    const dir = mkdtempSync(join(tmpdir(), 'views-pull-'));
    try {
      const file = join(dir, 'schema.ts');
      writeFileSync(file, source);
      const pulled = Object.values((await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>);
      const tables = pulled.filter((value) => isCrateTable(value as never)) as (typeof devices)[];
      const views = pulled.filter((value) => isCrateView(value)) as (typeof loud)[];
      expect(views).toHaveLength(2);
      // The baseline pull writes (the live definitions) against the pulled file (generate), and the live database (push, check).
      const baseline = createSnapshot(live.tables, '', undefined, live.views);
      const fromFile = createSnapshot(tables.map((table) => describeTable(table)), baseline.id, undefined, views.map((view) => describeView(view)));
      expect(diffSnapshots(baseline, fromFile, { targetVersion: '6.4' })).toEqual([]);
      expect(diffSnapshots(baseline, fromFile, { targetVersion: '6.4', live: true })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // generate from an empty folder: every statement parses, the views after the table and after what they read.
    const desired = createSnapshot([describeTable(devices)], emptySnapshot().id, undefined, [describeView(counts), describeView(loud)]);
    const fromEmpty = statementsFor(diffSnapshots(emptySnapshot(), desired, { targetVersion: '6.4' }));
    expect(fromEmpty.map((statement) => statement.split(' AS ')[0]!.split(' (')[0])).toEqual([
      `CREATE SCHEMA IF NOT EXISTS "${schemaName}"`,
      `CREATE TABLE "${describeTable(devices).name}"`,
      `CREATE VIEW "${describeView(loud).name}"`,
      `CREATE VIEW "${schemaName}"."${describeView(counts).name}"`,
    ]);
    for (const statement of fromEmpty) expectCrateSql(statement);

    // A changed view: generate against the pulled baseline and push against the database both replace it.
    const louder = crateView(loudName).as((qb) => qb.select({ id: devices.id, name: devices.name, level: devices.level }).from(devices).where(gt(devices.level, 100)));
    const changedSnapshot = createSnapshot([describeTable(devices)], '', undefined, [describeView(counts), describeView(louder)]);
    const current = createSnapshot(live.tables, '', undefined, live.views);
    const changes = diffSnapshots(current, changedSnapshot, { targetVersion: '6.4', live: true });
    expect(changes.map((change) => change.description)).toEqual([`~ view "${loudName}" (definition changed)`]);
    for (const statement of statementsFor(changes)) await client.sql(statement);
    expect(await db.select().from(counts)).toEqual([{ name: 'fan', n: 1 }]);
    // check: the database now matches the schema.
    const after = await introspect(client, { schemaFilter: ['doc', schemaName], tablesFilter: (name) => wanted.has(name) });
    expect(diffSnapshots(createSnapshot(after.tables, '', undefined, after.views), changedSnapshot, { targetVersion: '6.4', live: true })).toEqual([]);

    // Dropping the table while its views stay is refused before anything is sent.
    expect(() => diffSnapshots(current, createSnapshot([], '', undefined, [describeView(counts), describeView(louder)]), { live: true })).toThrow(ViewDependencyError);
  });
  it('a kept view over a table losing a column, or rebuilt, is dropped and created again around the change and still reads', async () => {
    const tableName = uniqueName('vcols');
    const viewName = uniqueName('vcols_a');
    const before = crateTable(tableName, { id: integer().primaryKey(), a: text(), b: text() });
    const beforeView = crateView(viewName).as((qb) => qb.select({ id: before.id, a: before.a }).from(before));
    await createTables(db, [before, beforeView]);
    await db.insert(before).values([{ id: 1, a: 'x', b: 'y' }]);
    await db.refresh(before);
    // Each step's table and view differ in type from the first; only their descriptions and rows are read here.
    const apply = async (table: unknown, view: unknown, kinds: string[]) => {
      const live = await introspect(client, { tablesFilter: (name) => name === tableName || name === viewName });
      const changes = diffSnapshots(createSnapshot(live.tables, '', undefined, live.views), createSnapshot([describeTable(table as typeof before)], '', undefined, [describeView(view as typeof beforeView)]), {
        targetVersion: '6.4',
        live: true,
      });
      expect(changes.map((change) => change.kind)).toEqual(kinds);
      for (const statement of statementsFor(changes)) {
        expectCrateSql(statement);
        await client.sql(statement);
      }
      expect(await db.select().from(view as typeof beforeView)).toEqual([{ id: 1, a: 'x' }]);
    };
    try {
      // b is dropped: the view is dropped first and created again after.
      const dropped = crateTable(tableName, { id: integer().primaryKey(), a: text() });
      await apply(dropped, crateView(viewName).as((qb) => qb.select({ id: dropped.id, a: dropped.a }).from(dropped)), ['drop_view', 'drop_column', 'create_view']);
      // A new primary key: the table is rebuilt by copy and swap, with the view dropped around it.
      const rekeyed = crateTable(tableName, { id: integer().notNull(), a: text().notNull() }, (t) => [primaryKey({ columns: [t.id, t.a] })]);
      await apply(rekeyed, crateView(viewName).as((qb) => qb.select({ id: rekeyed.id, a: rekeyed.a }).from(rekeyed)), ['drop_view', 'rebuild', 'create_view']);
    } finally {
      await client.sql(`DROP VIEW IF EXISTS "${viewName}"`);
      await client.sql(`DROP TABLE IF EXISTS "${tableName}"`);
    }
  });
});
