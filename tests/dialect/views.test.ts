/**
 * crateView on the line under test: typed selects from a view, CREATE / DROP VIEW in createTables and dropTables
 * (ordered around the tables and each other), and the refusals made before anything is sent.
 */
import { eq, gt, sql } from 'drizzle-orm';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  byte,
  crateMaterializedView,
  crateSchema,
  crateTable,
  crateView,
  createTables,
  CrateSchemaError,
  CrateUnsupportedError,
  describeView,
  drizzle,
  dropTables,
  integer,
  isCrateView,
  text,
  uuid,
} from 'drizzle-cratedb';
import { normalizeViewDefinition, orderViews, viewReads } from '../../src/tables/views.js';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';

const devices = crateTable('devices', {
  id: uuid().primaryKey(),
  name: text().notNull(),
  level: byte(),
});
const loud = crateView('loud_devices').as((qb) => qb.select({ id: devices.id, name: devices.name, level: devices.level }).from(devices).where(gt(devices.level, 5)));
const names = crateView('device_names', { name: text(), n: integer() }).as(sql`select name, count(*) as n from ${loud} group by name`);
const metrics = crateSchema('metrics');
const inSchema = metrics.view('schema_view').as((qb) => qb.select({ name: devices.name }).from(devices).where(eq(devices.name, "it's")));
const existing = crateView('made_elsewhere', { id: uuid(), total: integer() }).existing();

function setup() {
  const { client, calls } = recordingClient();
  return { db: drizzle({ client }), calls };
}

describe('crateView', () => {
  it('renders the query with values inlined, as CREATE VIEW stores them', () => {
    const loudView = describeView(loud);
    expect(loudView.name).toBe('loud_devices');
    expect(loudView.definition).toBe('select "id", "name", "level" from "devices" where "devices"."level" > 5');
    expect(describeView(names).definition).toBe('select name, count(*) as n from "loud_devices" group by name');
    expect(describeView(inSchema)).toEqual({ name: 'schema_view', schema: 'metrics', definition: `select "name" from "devices" where "devices"."name" = 'it''s'` });
    expect(isCrateView(loud)).toBe(true);
    expect(isCrateView(existing)).toBe(false);
    expect(isCrateView(devices)).toBe(false);
  });

  it('selects from a view, typed, with its columns named after the view', async () => {
    const { db, calls } = setup();
    const query = db.select().from(loud).where(eq(loud.level, 7));
    expectTypeOf<Awaited<typeof query>>().toEqualTypeOf<{ id: string; name: string; level: number | null }[]>();
    const { sql: text, params } = query.toSQL();
    expect(text).toBe('select "id", "name", "level" from "loud_devices" where "loud_devices"."level" = $1');
    expect(params).toEqual([7]);
    expectCrateSql(text.replace('$1', '?'));
    const manual = db.select({ name: names.name, n: names.n }).from(names);
    expectTypeOf<Awaited<typeof manual>>().toEqualTypeOf<{ name: string | null; n: number | null }[]>();
    const fromExisting = db.select().from(existing);
    expectTypeOf<Awaited<typeof fromExisting>>().toEqualTypeOf<{ id: string | null; total: number | null }[]>();
    expect(fromExisting.toSQL().sql).toBe('select "id", "total" from "made_elsewhere"');
    expect(db.select().from(inSchema).toSQL().sql).toBe('select "name" from "metrics"."schema_view"');
    await db.select().from(loud);
    expect(calls.at(-1)?.stmt).toBe('select "id", "name", "level" from "loud_devices"');
  });

  it('createTables creates tables first, then views after the views they read; dropTables the reverse', async () => {
    const { db, calls } = setup();
    // Given in the wrong order on purpose.
    await createTables(db, [names, loud, devices, inSchema, existing]);
    const statements = calls.map((call) => call.stmt);
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS "devices"/);
    expect(statements.slice(1)).toEqual([
      'CREATE OR REPLACE VIEW "loud_devices" AS select "id", "name", "level" from "devices" where "devices"."level" > 5',
      'CREATE OR REPLACE VIEW "device_names" AS select name, count(*) as n from "loud_devices" group by name',
      `CREATE OR REPLACE VIEW "metrics"."schema_view" AS select "name" from "devices" where "devices"."name" = 'it''s'`,
    ]);
    for (const statement of statements) expectCrateSql(statement);

    calls.length = 0;
    await dropTables(db, [devices, loud, names, inSchema]);
    expect(calls.map((call) => call.stmt)).toEqual([
      'DROP VIEW IF EXISTS "metrics"."schema_view"',
      'DROP VIEW IF EXISTS "device_names"',
      'DROP VIEW IF EXISTS "loud_devices"',
      'DROP TABLE IF EXISTS "devices"',
    ]);
    for (const call of calls) expectCrateSql(call.stmt);

    calls.length = 0;
    await createTables(db, [loud], { ifNotExists: false });
    expect(calls.map((call) => call.stmt)).toEqual(['CREATE VIEW "loud_devices" AS select "id", "name", "level" from "devices" where "devices"."level" > 5']);
  });

  it('refuses WITH options, materialized views and cycles, naming the view, before sending', async () => {
    expect(() => crateView('v').with({ checkOption: 'local' })).toThrow(CrateSchemaError);
    expect(() => crateView('v').with({ securityBarrier: true })).toThrow(/view "v", \.with\(\): CrateDB's CREATE VIEW takes no WITH options/);
    expect(() => crateMaterializedView('mv')).toThrow(CrateUnsupportedError);
    expect(() => crateMaterializedView('mv')).toThrow(/materialized views \(crateMaterializedView\('mv'\)\)/);

    const a = crateView('cycle_a', { x: integer() }).as(sql`select x from cycle_b`);
    const b = crateView('cycle_b', { x: integer() }).as(sql`select x from "cycle_a"`);
    const { db, calls } = setup();
    const refused = await createTables(db, [devices, a, b]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CrateSchemaError);
    expect((refused as CrateSchemaError).rule).toBe('view-cycle');
    expect((refused as Error).message).toMatch(/view "cycle_a": views read each other in a cycle \(doc\.cycle_a -> doc\.cycle_b -> doc\.cycle_a\)/);
    expect(calls).toEqual([]);
  });

  it('refuses a bad name and pg-core column builders', () => {
    expect(() => crateView('a.b')).toThrow(CrateSchemaError);
    expect(() => crateView('a.b')).toThrow(/view "a\.b"/);
  });
});

describe('view query text', () => {
  it('finds the relations a query reads', () => {
    expect(viewReads('SELECT\n "id"\nFROM "ref_vt"\nWHERE "score" > 2\n')).toEqual([{ name: 'ref_vt' }]);
    expect(viewReads('select a.x from s.t1 as a, t3 c, unnest([1]) u join "S"."T2" b on a.id = b.id where x in (select y from doc.t4)')).toEqual([
      { schema: 's', name: 't1' },
      { name: 't3' },
      { schema: 'S', name: 'T2' },
      { name: 't4' },
    ]);
    expect(viewReads("select 'from t9' from t1 -- from t8")).toEqual([{ name: 't1' }]);
  });

  it('orders views so each follows those it reads, and names a cycle', () => {
    const views = [
      { name: 'c', definition: 'select * from b' },
      { name: 'b', definition: 'select * from a' },
      { name: 'a', definition: 'select * from t' },
    ];
    expect(orderViews(views).map((view) => view.name)).toEqual(['a', 'b', 'c']);
    expect(() => orderViews([{ name: 'a', definition: 'select * from a' }])).toThrow(/cycle \(doc\.a -> doc\.a\)/);
  });

  it('compares definitions as CrateDB re-formats them', () => {
    const ours = 'select "id", "name", "score" * 2 as "s2" from "ref_vt" where "score" > 2';
    const theirs = 'SELECT\n "id"\n, "name"\n, "score" * 2 "s2"\nFROM "ref_vt"\nWHERE "score" > 2\n';
    expect(normalizeViewDefinition(ours)).toBe(normalizeViewDefinition(theirs));
    expect(normalizeViewDefinition(ours)).not.toBe(normalizeViewDefinition(ours.replace('> 2', '> 3')));
    expect(normalizeViewDefinition("select 'A'")).not.toBe(normalizeViewDefinition("select 'a'"));
    expect(normalizeViewDefinition(`/* Corrupted view, needs fix */\n${theirs}`)).not.toBe(normalizeViewDefinition(theirs));
  });
});
