/**
 * What CrateDB 6 added, on a real server: UUID and BYTE columns (written, read, filtered, pulled), with the
 * server's traps (lenient UUID text, IN lists out of order, BYTE overflow) met before sending.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eq, inArray, notInArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  avg,
  bigint as bigintColumn,
  byte,
  crateSchema,
  crateTable,
  createTables,
  CrateValueError,
  describeTable,
  doublePrecision,
  drizzle,
  dropTables,
  geometricMean,
  integer,
  isCrateTable,
  percentile,
  stddev,
  sum,
  text,
  uuid,
  variance,
  type CrateDB,
} from 'drizzle-cratedb';
import type { CrateClient } from '../../src/driver/index.js';
import { diffSnapshots } from '../../src/kit/diff.js';
import { introspect } from '../../src/kit/introspect.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { createSnapshot } from '../../src/kit/snapshot.js';
import { statementsFor } from '../../src/kit/statements.js';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';
import { currentLine } from '../support/lines.js';

describeCrate('CrateDB 6: UUID and BYTE', () => {
  let client: CrateClient;
  let db: CrateDB;
  const devices = crateTable(uniqueName('devices'), {
    id: uuid().primaryKey().defaultRandom(),
    owner: uuid(),
    cold: uuid().columnstore(false),
    tags: uuid().array(),
    level: byte(),
    name: text(),
    n: integer(),
  });

  beforeAll(async () => {
    client = testClient();
    db = drizzle({ client });
    await createTables(db, [devices]);
  });
  afterAll(async () => {
    await dropTables(db, [devices]).catch(() => undefined);
    await client.close();
  });

  const special = [
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '00000000-0000-0000-0000-00000000000a',
    '80000000-0000-0000-0000-000000000000',
    '00000000-0000-0000-8000-000000000000',
    '7fffffff-ffff-ffff-7fff-ffffffffffff',
  ];

  const outsider = randomUUID().toUpperCase();

  it('fills defaultRandom() on the client, reads UUIDs back lowercase, and takes BYTE -128..127', async () => {
    const [made] = await db.insert(devices).values({ name: 'auto', level: -128 }).returning();
    expect(made!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await db.insert(devices).values({ id: '55D07626-4927-47C5-BA43-A015C23632EF', owner: outsider, tags: [special[1]!, null as never], level: 127, name: 'upper' });
    await db.refresh(devices);
    const [upper] = await db.select().from(devices).where(eq(devices.id, '55d07626-4927-47c5-ba43-a015c23632ef'));
    expect(upper).toMatchObject({ id: '55d07626-4927-47c5-ba43-a015c23632ef', owner: outsider.toLowerCase(), tags: [special[1], null], level: 127 });
    expect((await db.select().from(devices).where(eq(devices.id, made!.id)))[0]!.level).toBe(-128);
  });

  it('refuses what the server would alter or drop, naming the column, before sending', async () => {
    await expect(db.insert(devices).values({ id: '1-2-3-4-5' })).rejects.toThrow(CrateValueError);
    await expect(db.insert(devices).values({ id: '123456789-2222-3333-4444-555555555555' })).rejects.toThrow(/"devices_.*"\."id"/);
    await expect(db.insert(devices).values({ level: 128 })).rejects.toThrow(/BYTE's range/);
    await expect(db.update(devices).set({ level: -129 }).where(eq(devices.name, 'auto'))).rejects.toThrow(CrateValueError);
  });

  it('inArray and notInArray on uuid columns work whatever the order of the values', async () => {
    const ids = [...special, ...Array.from({ length: 20 }, () => randomUUID())];
    const result = await db.bulkInsert(
      devices,
      ids.map((id, i) => ({ id, owner: id, cold: id, n: i })),
    );
    expect(result.failed).toEqual([]);
    await db.refresh(devices);
    for (let trial = 0; trial < 12; trial++) {
      const pick = [...ids].sort(() => Math.random() - 0.5).slice(0, 2 + trial);
      for (const column of [devices.id, devices.owner, devices.cold]) {
        const rows = await db.select({ n: devices.n }).from(devices).where(inArray(column, pick));
        expect(rows).toHaveLength(pick.length);
        const others = await db.select({ n: devices.n }).from(devices).where(sql`${notInArray(column, pick)} and ${devices.n} is not null`);
        expect(others).toHaveLength(ids.length - pick.length);
      }
    }
    // Placeholders cannot be sorted when the statement is built; they become equalities.
    const prepared = db
      .select({ n: devices.n })
      .from(devices)
      .where(inArray(devices.owner, [sql.placeholder('a'), sql.placeholder('b')]))
      .prepare('by_owner');
    expect(await prepared.execute({ a: special[0], b: special[1] })).toHaveLength(2);
  });

  it('pulls uuid() and byte(), and the pulled table diffs clean against the schema', async () => {
    const live = await introspect(client, { tablesFilter: (name) => name === describeTable(devices).name });
    const source = writeSchemaSource(live.tables);
    expect(source).toContain(`id: uuid('id').primaryKey()`);
    expect(source).toContain(`cold: uuid('cold').columnstore(false)`);
    expect(source).toContain(`tags: uuid('tags').array()`);
    expect(source).toContain(`level: byte('level')`);
    const liveSnapshot = createSnapshot(live.tables, "");
    const schema = createSnapshot([describeTable(devices)], liveSnapshot.id);
    expect(diffSnapshots(liveSnapshot, schema, { live: true, targetVersion: '6.4' })).toEqual([]);
  });
});

describeCrate('CrateDB 6: aggregates typed as CrateDB returns them', () => {
  let client: CrateClient;
  let db: CrateDB;
  const sales = crateTable(uniqueName('sales'), { id: integer().primaryKey(), n: integer(), big: bigintColumn({ mode: 'bigint' }), level: byte(), ratio: doublePrecision() });

  beforeAll(async () => {
    client = testClient();
    db = drizzle({ client });
    await createTables(db, [sales]);
    await db.insert(sales).values([
      { id: 1, n: 2147483647, big: 9007199254740993n, level: 10, ratio: 0.5 },
      { id: 2, n: 1, big: 9007199254740993n, level: 20, ratio: 1.5 },
      { id: 3, n: 2, big: 1n, level: 30, ratio: 2.5 },
    ]);
    await db.refresh(sales);
  });
  afterAll(async () => {
    await dropTables(db, [sales]).catch(() => undefined);
    await client.close();
  });

  it('returns numbers where drizzle-orm would type strings, and exact bigint sums on request', async () => {
    const [row] = await db
      .select({
        avg: avg(sales.level),
        sum: sum(sales.n),
        exact: sum(sales.big, { mode: 'bigint' }),
        floats: sum(sales.ratio),
        stddev: stddev(sales.level),
        variance: variance(sales.level),
        median: percentile(sales.level, 0.5),
        quartiles: percentile(sales.level, [0, 1]),
        mean: geometricMean(sales.level),
      })
      .from(sales);
    expect(row).toEqual({
      avg: 20,
      sum: 2147483650,
      exact: 18014398509481987n,
      floats: 4.5,
      stddev: 10,
      variance: expect.closeTo(66.666666, 5),
      median: 20,
      quartiles: [10, 30],
      mean: expect.closeTo(18.171205, 5),
    });
    await expect(db.select({ s: sum(sales.big) }).from(sales)).rejects.toThrow(/mode: 'bigint'/);
  });
});

describeCrate('CrateDB 6: pull keeps every table option, so generate from a pulled schema finds no change', () => {
  let client: CrateClient;
  const names = {
    shards: uniqueName('pull_shards'),
    plain: uniqueName('pull_plain'),
    replicas: uniqueName('pull_replicas'),
    partitioned: uniqueName('pull_parted'),
    settings: uniqueName('pull_settings'),
    routed: uniqueName('pull_routed'),
  };
  const dir = join(import.meta.dirname, '..', '.readme', `pulled-${process.pid}-${currentLine()}`);

  beforeAll(async () => {
    client = testClient();
    await client.sql(`CREATE TABLE "${names.shards}" (id INT PRIMARY KEY, v TEXT) CLUSTERED INTO 3 SHARDS`);
    await client.sql(`CREATE TABLE "${names.plain}" (id INT, u UUID, b BYTE)`);
    await client.sql(`CREATE TABLE "${names.replicas}" (id INT) WITH (number_of_replicas = '1-3')`);
    await client.sql(`CREATE TABLE "${names.partitioned}" (day TIMESTAMP WITH TIME ZONE, id INT, PRIMARY KEY (day, id)) PARTITIONED BY (day)`);
    await client.sql(
      `CREATE TABLE "${names.settings}" (id INT) CLUSTERED INTO 2 SHARDS WITH ("refresh_interval" = 500, "translog.durability" = 'ASYNC', column_policy = 'strict', "number_of_replicas" = 0)`,
    );
    await client.sql(`CREATE TABLE "${names.routed}" (k TEXT, id INT, PRIMARY KEY (k, id)) CLUSTERED BY (k) INTO 2 SHARDS`);
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    for (const name of Object.values(names)) await client.sql(`DROP TABLE IF EXISTS "${name}"`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await client.close();
  });

  it('writes shards, replicas, partitions and settings, and the baseline snapshot agrees with the file', async () => {
    const wanted = new Set(Object.values(names));
    const live = await introspect(client, { tablesFilter: (name) => wanted.has(name) });
    expect(live.tables).toHaveLength(6);
    const source = writeSchemaSource(live.tables);
    expect(source).toContain('clusteredBy({ shards: 3 })');
    expect(source).toContain("number_of_replicas: '1-3'");
    expect(source).toMatch(/partitionedBy\(t\.day\)/);
    expect(source).toContain("withOptions({ number_of_replicas: '0', refresh_interval: 500, 'translog.durability': 'async' })");
    // The server's default shard count too: the baseline migration says CLUSTERED INTO n SHARDS.
    expect(source).toContain(`clusteredBy({ shards: ${live.defaultShards} })`);
    expect(source).toContain("u: uuid('u'),");
    const file = join(dir, 'schema.ts');
    writeFileSync(file, source);
    const pulled = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
    const tables = Object.values(pulled).filter((value) => isCrateTable(value as never)) as Parameters<typeof describeTable>[0][];
    expect(tables).toHaveLength(6);
    // generate: the baseline pull wrote (the live definitions) against the schema file.
    const baseline = createSnapshot(live.tables, '');
    const desired = createSnapshot(tables.map((table) => describeTable(table)), baseline.id);
    expect(diffSnapshots(baseline, desired, { targetVersion: '6.4' })).toEqual([]);
    // push: the live database against the schema file.
    expect(diffSnapshots(baseline, desired, { targetVersion: '6.4', live: true })).toEqual([]);
  });
});

describeCrate('CrateDB 6: schemas in push', () => {
  let client: CrateClient;
  const schemaName = uniqueName('kit_schema');
  const events = crateSchema(schemaName).table('events', { id: integer().primaryKey() });
  const schemaExists = async () => (await client.sql('SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?', [schemaName])).rows[0]![0];
  /** push, as the command does it: the live schema (bounded by the schema filter) against the desired tables. */
  const push = async (tables: Parameters<typeof describeTable>[0][]) => {
    const live = await introspect(client, { schemaFilter: [schemaName] });
    const current = createSnapshot(live.tables, '');
    const desired = createSnapshot(tables.map((table) => describeTable(table)), current.id);
    const changes = diffSnapshots(current, desired, { targetVersion: live.version, live: true });
    for (const statement of statementsFor(changes)) await client.sql(statement);
    return changes.map((change) => change.kind);
  };

  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    await client.sql(`DROP TABLE IF EXISTS "${schemaName}"."events"`).catch(() => undefined);
    await client.sql(`DROP TABLE IF EXISTS "${schemaName}"."unmanaged"`).catch(() => undefined);
    await client.sql(`DROP SCHEMA IF EXISTS "${schemaName}"`).catch(() => undefined);
    await client.close();
  });

  it('creates the schema a new crateSchema needs, and drops it when its tables are gone', async () => {
    expect(await push([events])).toEqual(['create_schema', 'create_table']);
    expect(await schemaExists()).toBe(1);
    expect(await push([events])).toEqual([]);
    expect(await push([])).toEqual(['drop_table', 'drop_schema']);
    expect(await schemaExists()).toBe(0);
  });

  it('leaves a schema that still holds a table the project does not declare: CrateDB refuses to drop it', async () => {
    expect(await push([events])).toEqual(['create_schema', 'create_table']);
    await client.sql(`CREATE TABLE "${schemaName}"."unmanaged" (id INT)`);
    // push bounded by a tables filter sees only events: it drops that table, then the schema, which is not empty.
    const live = await introspect(client, { schemaFilter: [schemaName], tablesFilter: (name) => name === 'events' });
    const current = createSnapshot(live.tables, '');
    const changes = diffSnapshots(current, createSnapshot([], current.id), { targetVersion: live.version, live: true });
    const statements = statementsFor(changes);
    expect(statements.at(-1)).toBe(`DROP SCHEMA IF EXISTS "${schemaName}"`);
    for (const statement of statements.slice(0, -1)) await client.sql(statement);
    await expect(client.sql(statements.at(-1)!)).rejects.toThrow(/depend/);
    expect(await schemaExists()).toBe(1);
  });
});
