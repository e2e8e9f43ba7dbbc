/**
 * The CLI run as a user runs it: a child process in a temporary project with its own drizzle.config.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CrateClient } from '../../src/driver/index.js';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';
import { lineEnv, linkNodeModules, onLine, sourceEntry } from '../support/lines.js';

const repo = resolve(import.meta.dirname, '../..');
const tsxCli = join(repo, 'node_modules/tsx/dist/cli.mjs');
const kitCli = join(repo, 'src/kit/cli.ts');
const src = sourceEntry();

describeCrate('drizzle-cratedb CLI in a project', () => {
  let dir: string;
  let client: CrateClient;
  const users = uniqueName('cli_users');
  const events = uniqueName('cli_events');
  const migrations = uniqueName('cli_mig');

  /**
   * A migration's SQL file: drizzle-kit 0.31's `drizzle/NNNN_name.sql` on a drizzle-orm 0.45 project, drizzle-kit
   * 1.0's `drizzle/YYYYMMDDHHMMSS_name/migration.sql` on a drizzle-orm 1.x project.
   */
  const migrationFile = (idx: number, name: string) =>
    onLine({
      '0.45': () => join(dir, 'drizzle', `${String(idx).padStart(4, '0')}_${name}.sql`),
      v1: () => {
        const folders = readdirSync(join(dir, 'drizzle')).filter((entry) => existsSync(join(dir, 'drizzle', entry, 'migration.sql'))).sort();
        const folder = folders[idx];
        expect(folder, `migration folder ${idx}`).toMatch(new RegExp(`^\\d{14}_${name}$`));
        return join(dir, 'drizzle', folder!, 'migration.sql');
      },
    })();
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [tsxCli, kitCli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...lineEnv(), NO_COLOR: '1' }, timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const schema = (usersColumns: string) =>
    writeFileSync(
      join(dir, 'src/schema.ts'),
      `import { sql } from 'drizzle-orm';
import { crateTable, integer, object, text, timestamp, withOptions } from ${JSON.stringify(src)};
export const users = crateTable('${users}', {
  id: text('id').primaryKey().defaultRandom(),
${usersColumns}
});
export const events = crateTable('${events}', {
  id: text('id').primaryKey(),
  at: timestamp('at', { withTimezone: true }).defaultNow(),
  payload: object('payload', { columns: { kind: text(), n: integer() } }),
  grid: integer('grid').array('[][]'),
}, () => [withOptions({ refresh_interval: 500 })]);
`,
    );

  beforeAll(() => {
    client = testClient();
    dir = mkdtempSync(join(tmpdir(), 'kit-cli-'));
    linkNodeModules(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kit-cli-project', private: true, type: 'module' }));
    rmSync(join(dir, 'src'), { recursive: true, force: true });
    spawnSync('mkdir', ['-p', join(dir, 'src')]);
    writeFileSync(
      join(dir, 'drizzle.config.ts'),
      `import { defineConfig } from ${JSON.stringify(join(repo, 'src/kit/index.ts'))};
export default defineConfig({
  dialect: 'cratedb',
  schema: './src/*.ts',
  out: './drizzle',
  dbCredentials: { url: ${JSON.stringify(crateUrl)} },
  tablesFilter: ['${users}', '${events}'],
  migrations: { schema: '${migrations}' },
});
`,
    );
    schema(`  name: text('name').notNull(),`);
  });

  afterAll(async () => {
    for (const table of [users, events, `${migrations}"."__drizzle_migrations`]) {
      await client.sql(`DROP TABLE IF EXISTS "${table}"`).catch(() => undefined);
    }
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints help', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/generate .*\n.*migrate/s);
    expect(run('generate', '--help').stdout).toContain('--custom');
  });

  it('generate, check, migrate twice, edit, generate, migrate', { timeout: 60_000 }, () => {
    const first = run('generate', '--name', 'init');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\+ table "cli_events.*\n\+ table "cli_users/);
    expect(existsSync(migrationFile(0, 'init'))).toBe(true);
    expect(existsSync(join(dir, 'drizzle/meta/_journal.json'))).toBe(onLine({ '0.45': true, v1: false }));
    expect(run('generate').stdout).toContain('No schema changes');
    expect(run('check')).toMatchObject({ code: 0 });
    const migrate = run('migrate');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/applied (0000|\d{14})_init/);
    expect(run('migrate').stdout).toMatch(/nothing to apply/);

    schema(`  name: text('name').notNull(),\n  age: integer('age'),`);
    const second = run('generate', '--name', 'add_age');
    expect(second.code).toBe(0);
    expect(readFileSync(migrationFile(1, 'add_age'), 'utf8')).toBe(`ALTER TABLE "${users}" ADD COLUMN "age" INTEGER;\n`);
    expect(run('migrate').stdout).toMatch(/applied (0001|\d{14})_add_age/);
    expect(run('push')).toMatchObject({ code: 0, stdout: expect.stringContaining('No changes') });
  });

  it('stops on what CrateDB cannot ALTER, without a stack trace', () => {
    schema(`  name: text('name').notNull(),\n  age: text('age'),`);
    const result = run('generate');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/type of column "age" .*INTEGER → TEXT/);
    expect(result.stderr).toMatch(/--rebuild/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    schema(`  name: text('name').notNull(),\n  age: integer('age'),`);
  });

  it('asks about renames, and takes --rename without a terminal', { timeout: 60_000 }, () => {
    schema(`  fullName: text('full_name').notNull(),\n  age: integer('age'),`);
    const asked = run('generate');
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain(`--rename ${users}.name=full_name`);
    const renamed = run('generate', '--rename', `${users}.name=full_name`, '--name', 'rename');
    expect(renamed.code).toBe(0);
    expect(readFileSync(migrationFile(2, 'rename'), 'utf8')).toBe(`ALTER TABLE "${users}" RENAME COLUMN "name" TO "full_name";\n`);
    expect(run('migrate').code).toBe(0);
  });

  it('pull writes a schema that generates no changes, export prints the DDL', { timeout: 60_000 }, () => {
    const pulled = run('pull', '--out', 'pulled');
    expect(pulled.code).toBe(0);
    const file = join(dir, 'pulled/schema.ts');
    // The pulled code imports the entry of the drizzle-orm the project has installed.
    const entry = onLine({ '0.45': "from 'drizzle-cratedb';", v1: "from 'drizzle-cratedb/v1';" });
    expect(readFileSync(file, 'utf8')).toContain(entry);
    writeFileSync(file, readFileSync(file, 'utf8').replace(entry, `from ${JSON.stringify(src)};`));
    expect(readFileSync(file, 'utf8')).toContain(`payload: object('payload', { columns: {`);
    expect(readFileSync(file, 'utf8')).toContain(`grid: integer('grid').array('[][]'),`);
    const again = run('generate', '--schema', './pulled/schema.ts', '--out', 'pulled');
    expect(again.stdout).toContain('No schema changes');
    expect(run('push', '--schema', './pulled/schema.ts').stdout).toContain('No changes');
    expect(run('export').stdout).toMatch(new RegExp(`CREATE TABLE "${users}"`));
  });

  it('an edited migration: check reports it (0.31 layout, whose journal keeps hashes), migrate refuses it until accepted', { timeout: 60_000 }, () => {
    const file = migrationFile(1, 'add_age');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `ALTER TABLE "${users}" ADD COLUMN "age" BIGINT;\n`);
    if (onLine({ '0.45': true, v1: false })) {
      const result = run('check');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('0001_add_age.sql was edited');
    }
    const refused = run('migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/migration (0001|\d{14})_add_age was applied, but its file has changed since/);
    expect(refused.stderr).toContain('--accept-changed');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    writeFileSync(file, original);
    expect(run('migrate').code).toBe(0);
  });

  it('push applies additions directly, and a change that loses data only with --force', { timeout: 60_000 }, async () => {
    const columnsOf = async () => {
      const result = await client.sql(`SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position`, [users]);
      return result.rows.map(([name]) => name);
    };
    schema(`  fullName: text('full_name').notNull(),\n  age: integer('age'),\n  nickname: text('nickname'),`);
    const added = run('push');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/\+ column "nickname"/);
    expect(await columnsOf()).toContain('nickname');

    schema(`  fullName: text('full_name').notNull(),\n  age: integer('age'),`);
    const refused = run('push');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/1 change loses data/);
    expect(refused.stderr).toMatch(/--force/);
    expect(await columnsOf()).toContain('nickname');

    const forced = run('push', '--force');
    expect(forced.code).toBe(0);
    expect(await columnsOf()).not.toContain('nickname');
  });

  it('up moves the folder to drizzle-kit 1.0 layout and migrate finds everything applied; introspect and --version work', { timeout: 60_000 }, () => {
    const up = run('up');
    if (onLine({ '0.45': true, v1: false })) {
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(/0000_init\.sql → \d{14}_init\/migration\.sql/);
      expect(existsSync(join(dir, 'drizzle/meta/_journal.json'))).toBe(false);
    } else {
      // A drizzle-orm 1.x project's folder was written in the new layout from the start.
      expect(up.code).toBe(1);
      expect(up.stderr).toContain('nothing to convert');
    }
    const migrate = run('migrate');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/nothing to apply: 3 migrations were already applied/);
    expect(run('check').code).toBe(0);
    const introspected = run('introspect', '--out', 'introspected', '--introspect-casing', 'preserve');
    expect(introspected.code).toBe(0);
    expect(readFileSync(join(dir, 'introspected/schema.ts'), 'utf8')).toContain(`full_name: text('full_name')`);
    const version = run('--version');
    expect(version.stdout.trim()).toBe(`drizzle-cratedb ${(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version}`);
  });
});
