/**
 * The kit against a real CrateDB: push, pull round trip, migrate (twice, concurrently, failing, resumed) and rebuilds
 * that keep every row.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crateTable, integer, object, text, withOptions } from 'drizzle-cratedb';
import type { CrateClient } from '../../src/driver/index.js';
import { describeTable, qualifiedName } from 'drizzle-cratedb';
import { diffSnapshots, type Change } from '../../src/kit/diff.js';
import { introspect } from '../../src/kit/introspect.js';
import { renderMigration, writeMigration } from '../../src/kit/journal.js';
import { migrate, MigrationError } from '../../src/kit/migrator.js';
import { runRebuild } from '../../src/kit/rebuild.js';
import { createSnapshot, emptySnapshot, type Snapshot } from '../../src/kit/snapshot.js';
import { changeStatements } from '../../src/kit/statements.js';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';

type AnyTable = Parameters<typeof describeTable>[0];

describeCrate('kit against CrateDB', () => {
  let client: CrateClient;
  const created: string[] = [];
  const dirs: string[] = [];
  const migrationsSchema = uniqueName('kitmig');

  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    for (const table of created) {
      await client.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await client.sql(`DROP TABLE IF EXISTS ${table.slice(0, -1)}__rebuild_new"`).catch(() => undefined);
      await client.sql(`DROP TABLE IF EXISTS ${table.slice(0, -1)}__rebuild_old"`).catch(() => undefined);
    }
    await client.sql(`DROP TABLE IF EXISTS "${migrationsSchema}"."__drizzle_migrations"`).catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await client.close();
  });

  const track = (name: string) => {
    created.push(qualifiedName({ name }));
    return name;
  };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-it-'));
    dirs.push(dir);
    return dir;
  };
  const liveSnapshot = async (names: string[]): Promise<Snapshot> => {
    const live = await introspect(client, { tablesFilter: (name) => names.includes(name) });
    return createSnapshot(live.tables, emptySnapshot().id);
  };
  /** push, as the command does it: introspect, diff against the schema, apply. */
  const push = async (tables: AnyTable[], options: { rebuild?: boolean } = {}): Promise<Change[]> => {
    const names = tables.map((t) => describeTable(t).name);
    const current = await liveSnapshot(names);
    const desired = createSnapshot(tables.map((t) => describeTable(t)), current.id);
    const changes = diffSnapshots(current, desired, { targetVersion: (await client.serverInfo()).version, live: true });
    if (changes.some((c) => !c.inPlace) && !options.rebuild) throw new Error('needs a rebuild');
    for (const change of changes) {
      if (change.kind === 'rebuild') await runRebuild((s) => client.sql(s), change);
      else for (const statement of changeStatements(change)) await client.sql(statement);
    }
    return changes;
  };

  it('push from empty, then after each edit, then finds nothing to do', async () => {
    const name = track(uniqueName('kit_push'));
    const v1 = crateTable(name, { id: text('id').primaryKey(), n: integer('n') }, () => [withOptions({ refresh_interval: 1000 })]);
    expect((await push([v1])).map((c) => c.kind)).toEqual(['create_table']);
    expect(await push([v1])).toEqual([]);
    const v2 = crateTable(name, { id: text('id').primaryKey(), n: integer('n'), o: object('o', { columns: { a: text() } }) }, () => [
      withOptions({ refresh_interval: 500, number_of_replicas: '0' }),
    ]);
    expect((await push([v2])).map((c) => c.kind)).toEqual(['add_column', 'set_settings']);
    expect(await push([v2])).toEqual([]);
    const v3 = crateTable(name, { id: text('id').primaryKey(), o: object('o', { columns: { a: text(), b: integer() } }) }, () => [
      withOptions({ number_of_replicas: '0' }),
    ]);
    expect((await push([v3])).map((c) => c.kind)).toEqual(['add_column', 'set_settings', 'drop_column']);
    expect(await push([v3])).toEqual([]);
  });

  it('pull round trip: the introspected definition diffs clean against the schema', async () => {
    const name = track(uniqueName('kit_pull'));
    const { sql } = await import('drizzle-orm');
    const { check, geoShape, timestamp, varchar, objectArray, clusteredBy } = await import('drizzle-cratedb');
    const table = crateTable(
      name,
      {
        id: integer('id').primaryKey(),
        title: text('title').notNull().fulltext({ analyzer: 'english' }),
        code: varchar('code', { length: 50 }),
        body: text('body').indexOff().columnstore(false),
        at: timestamp('at', { withTimezone: true }).defaultNow(),
        twice: integer('twice').generatedAlwaysAs(sql`id * 2`),
        shape: geoShape('shape', { index: 'quadtree', precision: '1m' }),
        tags: text('tags').array(),
        items: objectArray('items', { columns: { sku: text(), qty: integer().default(1) } }),
      },
      (t) => [check('id_positive', sql`${t.id} > 0`), clusteredBy({ shards: 3 }), withOptions({ 'translog.durability': 'async' })],
    );
    await push([table]);
    expect(await push([table])).toEqual([]);
    const live = await liveSnapshot([name]);
    const schema = createSnapshot([describeTable(table)], live.id);
    expect(diffSnapshots(schema, live, { live: true, targetVersion: '6.4' })).toEqual([]);
  });

  const folderWith = (migrations: string[][]): string => {
    const out = tempDir();
    let prev = emptySnapshot();
    migrations.forEach((statements, i) => {
      const snapshot = createSnapshot([], prev.id);
      writeMigration({ out, snapshot, sql: renderMigration(statements, true), name: `m${i}`, breakpoints: true });
      prev = snapshot;
    });
    return out;
  };

  it('migrate applies once; a second run is a no-op', async () => {
    const name = track(uniqueName('kit_mig'));
    const out = folderWith([[`CREATE TABLE "${name}" (id INT PRIMARY KEY, v TEXT)`], [`INSERT INTO "${name}" (id, v) VALUES (1, 'a')`]]);
    const first = await migrate(client, { migrationsFolder: out, migrationsSchema });
    expect(first.applied).toEqual(['0000_m0', '0001_m1']);
    const second = await migrate(client, { migrationsFolder: out, migrationsSchema });
    expect(second).toMatchObject({ applied: [], skipped: ['0000_m0', '0001_m1'] });
    await client.sql(`REFRESH TABLE "${name}"`);
    expect((await client.sql(`SELECT count(*) FROM "${name}"`)).rows[0]![0]).toBe(1);
  });

  it('two migrators started at once apply each migration once', async () => {
    const name = track(uniqueName('kit_conc'));
    // No primary key: a second INSERT would add a second row.
    const out = folderWith([[`CREATE TABLE "${name}" (v TEXT)`], [`INSERT INTO "${name}" (v) VALUES ('once')`], [`INSERT INTO "${name}" (v) VALUES ('twice')`]]);
    const other = testClient();
    try {
      const schema = uniqueName('kitconc');
      const [a, b] = await Promise.all([
        migrate(client, { migrationsFolder: out, migrationsSchema: schema }),
        migrate(other, { migrationsFolder: out, migrationsSchema: schema }),
      ]);
      expect([...a.applied, ...b.applied].sort()).toEqual(['0000_m0', '0001_m1', '0002_m2']);
      await client.sql(`REFRESH TABLE "${name}"`);
      expect((await client.sql(`SELECT count(*) FROM "${name}"`)).rows[0]![0]).toBe(2);
      await client.sql(`DROP TABLE "${schema}"."__drizzle_migrations"`);
    } finally {
      await other.close();
    }
  });

  it('a failing statement stops the run with the migration, the statement and the error; --resume continues', async () => {
    const name = track(uniqueName('kit_fail'));
    const schema = uniqueName('kitfail');
    const out = folderWith([[`CREATE TABLE "${name}" (id INT)`], [`INSERT INTO "${name}" (id) VALUES (1)`, `INSERT INTO "${name}" (nope) VALUES (2)`]]);
    try {
      const error = await migrate(client, { migrationsFolder: out, migrationsSchema: schema }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe('0001_m1');
      expect((error as Error).message).toMatch(/migration 0001_m1 failed at statement 2 of 2/);
      expect((error as Error).message).toContain(`INSERT INTO "${name}" (nope) VALUES (2)`);
      expect((error as Error).message).toMatch(/CrateDB: .*nope/);
      // The first migration stays recorded; a plain re-run refuses, naming the failed one.
      await expect(migrate(client, { migrationsFolder: out, migrationsSchema: schema })).rejects.toThrow(/0001_m1 failed in an earlier run at statement 2/);
      // Fix the statement, resume: only the failed statement runs again.
      writeFileSync(join(out, '0001_m1.sql'), renderMigration([`INSERT INTO "${name}" (id) VALUES (1)`, `INSERT INTO "${name}" (id) VALUES (2)`], true));
      const resumed = await migrate(client, { migrationsFolder: out, migrationsSchema: schema, resume: true });
      expect(resumed.applied).toEqual(['0001_m1']);
      await client.sql(`REFRESH TABLE "${name}"`);
      expect((await client.sql(`SELECT id FROM "${name}" ORDER BY id`)).rows).toEqual([[1], [2]]);
    } finally {
      await client.sql(`DROP TABLE IF EXISTS "${schema}"."__drizzle_migrations"`);
    }
  });

  it('a run that stopped without a word (no heartbeat) is detected, reported, and resumed', async () => {
    const name = track(uniqueName('kit_crash'));
    const schema = uniqueName('kitcrash');
    const out = folderWith([[`CREATE TABLE "${name}" (id INT)`, `INSERT INTO "${name}" (id) VALUES (1)`]]);
    try {
      // A migrator claims 0000_m0 and dies before it applies anything (here: its logger throws)...
      const dying = migrate(client, {
        migrationsFolder: out,
        migrationsSchema: schema,
        logger: (message) => {
          if (message.startsWith('applying')) throw new Error('killed');
        },
      });
      await expect(dying).rejects.toThrow('killed');
      // ...after its first statement, as far as the record shows, and its heartbeat is now a minute old.
      await client.sql(`CREATE TABLE "${name}" (id INT)`);
      await client.sql(
        `UPDATE "${schema}"."__drizzle_migrations" SET statements_done = 1, heartbeat_at = CURRENT_TIMESTAMP - INTERVAL '1 minute' WHERE id = 0`,
      );
      await expect(migrate(client, { migrationsFolder: out, migrationsSchema: schema, staleAfter: 5_000 })).rejects.toThrow(
        /0000_m0 was being applied by a run that stopped \(no heartbeat\) after 1 of 2 statements/,
      );
      // A live run (fresh heartbeat) is waited for instead, here until the lock timeout.
      await client.sql(`UPDATE "${schema}"."__drizzle_migrations" SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = 0`);
      await expect(migrate(client, { migrationsFolder: out, migrationsSchema: schema, lockTimeout: 500 })).rejects.toThrow(/being applied by another migrator/);
      // Resuming continues at the statement that did not complete.
      await client.sql(`UPDATE "${schema}"."__drizzle_migrations" SET heartbeat_at = CURRENT_TIMESTAMP - INTERVAL '1 minute' WHERE id = 0`);
      const resumed = await migrate(client, { migrationsFolder: out, migrationsSchema: schema, resume: true });
      expect(resumed.applied).toEqual(['0000_m0']);
      await client.sql(`REFRESH TABLE "${name}"`);
      expect((await client.sql(`SELECT id FROM "${name}"`)).rows).toEqual([[1]]);
    } finally {
      await client.sql(`DROP TABLE IF EXISTS "${schema}"."__drizzle_migrations"`);
    }
  });

  it('a rebuild (column type and primary key change) keeps every row', async () => {
    const name = track(uniqueName('kit_rebuild'));
    const before = crateTable(name, { id: integer('id').primaryKey(), v: integer('v'), gone: text('gone') });
    await push([before]);
    const rows = Array.from({ length: 250 }, (_, i) => [i, i * 10, `g${i}`]);
    await client.bulk(`INSERT INTO "${name}" (id, v, gone) VALUES (?, ?, ?)`, rows);
    const after = crateTable(name, { id: integer('id').primaryKey(), v: text('v').notNull(), gone: text('gone') });
    await expect(push([after])).rejects.toThrow(/needs a rebuild/);
    const changes = await push([after], { rebuild: true });
    expect(changes.map((c) => c.kind)).toEqual(['rebuild']);
    await client.sql(`REFRESH TABLE "${name}"`);
    expect((await client.sql(`SELECT count(*) FROM "${name}"`)).rows[0]![0]).toBe(250);
    expect((await client.sql(`SELECT v FROM "${name}" WHERE id = 7`)).rows[0]![0]).toBe('70');
    expect(await push([after])).toEqual([]);
  });

  it('a rebuild that cannot copy every row fails and leaves the original intact', async () => {
    const name = track(uniqueName('kit_rebuild_fail'));
    const before = crateTable(name, { id: integer('id').primaryKey(), v: integer('v') });
    await push([before]);
    await client.bulk(`INSERT INTO "${name}" (id, v) VALUES (?, ?)`, [[1, 1], [2, null]]);
    const after = crateTable(name, { id: integer('id').primaryKey(), v: integer('v').notNull() });
    await expect(push([after], { rebuild: true })).rejects.toThrow(/original table .* is intact/);
    await client.sql(`REFRESH TABLE "${name}"`);
    expect((await client.sql(`SELECT count(*) FROM "${name}"`)).rows[0]![0]).toBe(2);
    const copy = await client.sql(`SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, [`${name}__rebuild_new`]);
    expect(copy.rows[0]![0]).toBe(0);
  });

  it('a rebuild written into a migration applies through migrate', async () => {
    const name = track(uniqueName('kit_mrebuild'));
    const before = crateTable(name, { id: integer('id').primaryKey(), v: integer('v') });
    const after = crateTable(name, { id: integer('id').primaryKey(), v: text('v') });
    const s1 = createSnapshot([describeTable(before)], emptySnapshot().id);
    const s2 = createSnapshot([describeTable(after)], s1.id);
    const out = tempDir();
    writeMigration({ out, snapshot: s1, sql: renderMigration(diffSnapshots(emptySnapshot(), s1).flatMap(changeStatements), true), name: 'a', breakpoints: true });
    writeMigration({ out, snapshot: s1, sql: renderMigration([`INSERT INTO "${name}" (id, v) VALUES (1, 5), (2, 6)`], true), name: 'rows', breakpoints: true });
    writeMigration({ out, snapshot: s2, sql: renderMigration(diffSnapshots(s1, s2).flatMap(changeStatements), true), name: 'b', breakpoints: true });
    const schema = uniqueName('kitmr');
    try {
      expect((await migrate(client, { migrationsFolder: out, migrationsSchema: schema })).applied).toHaveLength(3);
      await client.sql(`REFRESH TABLE "${name}"`);
      expect((await client.sql(`SELECT v FROM "${name}" ORDER BY id`)).rows).toEqual([['5'], ['6']]);
    } finally {
      await client.sql(`DROP TABLE IF EXISTS "${schema}"."__drizzle_migrations"`);
    }
  });
});
