/**
 * Against a real CrateDB: migrate applies both folder layouts; `up` converts an applied folder without losing the
 * record of what was applied; an applied migration whose file changed is refused (and accepted on request); push
 * leaves tables that are in no schema file alone unless told otherwise.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CrateClient } from '../../src/driver/index.js';
import { pushCommand } from '../../src/kit/commands.js';
import { resolveConfig, type ResolvedKitConfig } from '../../src/kit/config.js';
import { readMigrations, writeNewMigration, type FolderLayout } from '../../src/kit/folders.js';
import { renderMigration } from '../../src/kit/journal.js';
import { migrate, MigrationError } from '../../src/kit/migrator.js';
import type { Output } from '../../src/kit/output.js';
import { createSnapshot, emptySnapshot, type Snapshot } from '../../src/kit/snapshot.js';
import { upgradeFolder } from '../../src/kit/up.js';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';

describeCrate('kit folder layouts against CrateDB', () => {
  let client: CrateClient;
  const dirs: string[] = [];
  const dropAfter: string[] = [];

  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    for (const table of dropAfter) await client.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await client.close();
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-layouts-'));
    dirs.push(dir);
    return dir;
  };
  const migrationsSchema = () => {
    const schema = uniqueName('kitlay');
    dropAfter.push(`"${schema}"."__drizzle_migrations"`);
    return schema;
  };
  const table = (prefix: string) => {
    const name = uniqueName(prefix);
    dropAfter.push(`"${name}"`);
    return name;
  };
  const folderWith = (layout: FolderLayout, migrations: string[][], out = tempDir()): string => {
    let prev: Snapshot = emptySnapshot();
    migrations.forEach((statements, i) => {
      const snapshot = createSnapshot([], prev.id);
      writeNewMigration({ out, snapshot, sql: renderMigration(statements, true), name: `m${i}`, breakpoints: true, layout, now: Date.UTC(2026, 0, 1) + i * 60_000 });
      prev = snapshot;
    });
    return out;
  };
  const records = async (schema: string) => {
    await client.sql(`REFRESH TABLE "${schema}"."__drizzle_migrations"`);
    const result = await client.sql(`SELECT id, tag, hash, created_at, status FROM "${schema}"."__drizzle_migrations" ORDER BY id`);
    return result.rows;
  };
  const count = async (name: string) => {
    await client.sql(`REFRESH TABLE "${name}"`);
    return (await client.sql(`SELECT count(*) FROM "${name}"`)).rows[0]![0];
  };

  it("migrate applies drizzle-kit 1.0's layout once, in folder order", async () => {
    const name = table('lay_v1');
    const schema = migrationsSchema();
    const out = folderWith('folders', [[`CREATE TABLE "${name}" (id INT PRIMARY KEY)`], [`INSERT INTO "${name}" (id) VALUES (1)`]]);
    const first = await migrate(client, { migrationsFolder: out, migrationsSchema: schema });
    expect(first.applied).toEqual(['20260101000000_m0', '20260101000100_m1']);
    expect((await migrate(client, { migrationsFolder: out, migrationsSchema: schema })).applied).toEqual([]);
    expect(await count(name)).toBe(1);
    const local = readMigrations(out);
    expect(await records(schema)).toEqual(local.map((m) => [m.idx, m.tag, m.hash, m.when, 'applied']));
  });

  it('up converts an applied 0.31 folder: nothing is applied again, the records keep hash and created_at and take the new names', async () => {
    const name = table('lay_up');
    const schema = migrationsSchema();
    // No primary key: a migration applied twice would add a second row.
    const out = folderWith('journal', [[`CREATE TABLE "${name}" (v TEXT)`], [`INSERT INTO "${name}" (v) VALUES ('once')`]]);
    expect((await migrate(client, { migrationsFolder: out, migrationsSchema: schema })).applied).toEqual(['0000_m0', '0001_m1']);
    const before = await records(schema);

    const { moved } = upgradeFolder(out);
    expect(moved.map((m) => m.to)).toEqual(['20260101000000_m0', '20260101000100_m1']);
    const logged: string[] = [];
    const again = await migrate(client, { migrationsFolder: out, migrationsSchema: schema, logger: (message) => logged.push(message) });
    expect(again).toMatchObject({ applied: [], skipped: ['20260101000000_m0', '20260101000100_m1'], warnings: [] });
    expect(logged).toContain('0000_m0 is now 20260101000000_m0 (same file, moved by up)');
    expect(await count(name)).toBe(1);
    const after = await records(schema);
    expect(after.map((row) => [row[0], row[2], row[3], row[4]])).toEqual(before.map((row) => [row[0], row[2], row[3], row[4]]));
    expect(after.map((row) => row[1])).toEqual(['20260101000000_m0', '20260101000100_m1']);

    // Generating on continues in the new layout and applies.
    writeNewMigration({ out, snapshot: createSnapshot([], 'x'), sql: renderMigration([`INSERT INTO "${name}" (v) VALUES ('after up')`], true), name: 'more', breakpoints: true, layout: 'folders', now: Date.UTC(2026, 0, 2) });
    expect((await migrate(client, { migrationsFolder: out, migrationsSchema: schema })).applied).toEqual(['20260102000000_more']);
    expect(await count(name)).toBe(2);
  });

  it('an applied migration whose file changed stops migrate, naming it; acceptChanged records the new hash and applies nothing', async () => {
    for (const layout of ['journal', 'folders'] as const) {
      const name = table('lay_edit');
      const schema = migrationsSchema();
      const out = folderWith(layout, [[`CREATE TABLE "${name}" (v TEXT)`], [`INSERT INTO "${name}" (v) VALUES ('a')`]]);
      await migrate(client, { migrationsFolder: out, migrationsSchema: schema });
      const edited = readMigrations(out)[1]!;
      const file = layout === 'journal' ? join(out, `${edited.tag}.sql`) : join(out, edited.tag, 'migration.sql');
      writeFileSync(file, renderMigration([`INSERT INTO "${name}" (v) VALUES ('b')`], true));
      const error = await migrate(client, { migrationsFolder: out, migrationsSchema: schema }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).migration).toBe(edited.tag);
      expect((error as Error).message).toMatch(new RegExp(`migration ${edited.tag} was applied, but its file has changed since.*--accept-changed`, 's'));

      const accepted = await migrate(client, { migrationsFolder: out, migrationsSchema: schema, acceptChanged: true });
      expect(accepted.applied).toEqual([]);
      expect(accepted.warnings).toEqual([expect.stringContaining(`${edited.tag} was applied, but its file has changed since; accepted`)]);
      const hash = readMigrations(out)[1]!.hash;
      expect((await records(schema))[1]![2]).toBe(hash);
      // Accepted once, it is the recorded version from then on.
      expect(await migrate(client, { migrationsFolder: out, migrationsSchema: schema })).toMatchObject({ applied: [], warnings: [] });
      await client.sql(`REFRESH TABLE "${name}"`);
      expect((await client.sql(`SELECT v FROM "${name}"`)).rows).toEqual([['a']]);
      expect(readFileSync(file, 'utf8')).toContain("'b'");
    }
  });

  it('push leaves tables that are in no schema file alone, naming each and tablesFilter; --drop-unmanaged or a filter of yours drops them', { timeout: 60_000 }, async () => {
    const schema = uniqueName('kitpush');
    const mine = 'mine';
    const other = 'other_app';
    dropAfter.push(`"${schema}"."${mine}"`, `"${schema}"."${other}"`);
    await client.sql(`CREATE TABLE "${schema}"."${other}" (id INT) CLUSTERED INTO 1 SHARDS`);
    await client.sql(`INSERT INTO "${schema}"."${other}" (id) VALUES (1)`);
    const dir = tempDir();
    writeFileSync(
      join(dir, 'schema.ts'),
      `import { crateSchema, integer, text } from 'drizzle-cratedb';\nexport const mine = crateSchema('${schema}').table('${mine}', { id: text('id').primaryKey(), n: integer('n') });\n`,
    );
    const resolved = resolveConfig({ dialect: 'cratedb', schema: './schema.ts', dbCredentials: crateUrl!, schemaFilter: [schema] }, { root: dir });
    // The default scope ('doc', shared with other applications) stood in for by this run's own schema: the filters
    // count as not chosen by the user, as when the config leaves them out.
    const defaults: ResolvedKitConfig = { ...resolved, filtersGiven: { tables: false, schemas: false } };
    const exists = async (name: string) =>
      (await client.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?`, [schema, name])).rows[0]![0] === 1;

    const first = capture();
    await pushCommand({ config: defaults, out: first }, { force: true });
    expect(first.text()).toContain(`push leaves 1 table alone that exists in the database but in no schema file (./schema.ts):`);
    expect(first.text()).toContain(`table ${other} in schema ${schema}: in the database, in none of ./schema.ts`);
    expect(first.text()).toMatch(/tablesFilter.*--drop-unmanaged/s);
    expect(first.text()).not.toMatch(/- table/);
    expect(await exists(mine)).toBe(true);
    expect(await exists(other)).toBe(true);

    // Nothing else to do: still says what it leaves alone, and why.
    const second = capture();
    await pushCommand({ config: defaults, out: second }, { force: true });
    expect(second.text()).toMatch(/push leaves 1 table alone[\s\S]*No changes/);

    // A tablesFilter of the user's covers it: it is dropped like any table removed from the schema (lossy: --force).
    const filtered: ResolvedKitConfig = { ...defaults, tablesFilter: [mine, other], filtersGiven: { tables: true, schemas: false } };
    const noForce = capture();
    await expect(pushCommand({ config: filtered, out: noForce }, {})).rejects.toThrow(/--force/);
    expect(noForce.text()).toContain(`- table "${schema}"."${other}"`);
    expect(await exists(other)).toBe(true);

    // --drop-unmanaged drops it under the default filters.
    const dropped = capture();
    await pushCommand({ config: defaults, out: dropped }, { force: true, dropUnmanaged: true });
    expect(dropped.text()).toContain(`- table "${schema}"."${other}"`);
    expect(await exists(other)).toBe(false);
    expect(await exists(mine)).toBe(true);
  });
});

function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  const id = (text: string) => text;
  return { color: false, line: (text = '') => void lines.push(text), error: (text) => void lines.push(text), green: id, red: id, yellow: id, dim: id, bold: id, text: () => lines.join('\n') };
}
