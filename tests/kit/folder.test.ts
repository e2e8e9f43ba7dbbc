/**
 * Migration folder, check, SHOW CREATE TABLE parsing, renames without a terminal, CLI argument parsing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crateTable, integer, text } from 'drizzle-cratedb';
import { describeTable } from 'drizzle-cratedb';
import { checkFolder } from '../../src/kit/check.js';
import { parseArgs } from '../../src/kit/cli.js';
import { clientOptions, resolveConfig } from '../../src/kit/config.js';
import { parseShowCreateTable } from '../../src/kit/introspect.js';
import { latestSnapshot, readMigrationFolder, renderMigration, splitStatements, writeMigration } from '../../src/kit/journal.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { projectEntry } from '../../src/kit/project-line.js';
import { parseRenameSpec, resolveRenames } from '../../src/kit/renames.js';
import { canonicalTable, createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const users = crateTable('users', { id: text('id').primaryKey(), n: integer('n') });

describe('migration folder', () => {
  it('writes drizzle-kit layout and reads it back', () => {
    const out = tempDir();
    const snapshot = createSnapshot([describeTable(users)], emptySnapshot().id);
    const written = writeMigration({ out, snapshot, sql: renderMigration(['CREATE TABLE a (x INT)', 'CREATE TABLE b (y INT)'], true), name: 'init', breakpoints: true });
    expect(written.tag).toBe('0000_init');
    expect(readFileSync(join(out, '0000_init.sql'), 'utf8')).toBe('CREATE TABLE a (x INT);\n--> statement-breakpoint\nCREATE TABLE b (y INT);\n');
    const journal = JSON.parse(readFileSync(join(out, 'meta', '_journal.json'), 'utf8'));
    expect(journal).toMatchObject({ dialect: 'cratedb', entries: [{ idx: 0, tag: '0000_init', breakpoints: true }] });
    expect(latestSnapshot(out).id).toBe(snapshot.id);
    expect(readMigrationFolder(out)[0]!.statements).toEqual(['CREATE TABLE a (x INT)', 'CREATE TABLE b (y INT)']);
    expect(checkFolder(out)).toEqual([]);
  });

  it('check reports missing files, orphans, broken chains and edits', () => {
    const out = tempDir();
    const first = createSnapshot([], emptySnapshot().id);
    writeMigration({ out, snapshot: first, sql: 'CREATE TABLE a (x INT);\n', name: 'a', breakpoints: true });
    writeMigration({ out, snapshot: createSnapshot([], 'not-the-previous-id'), sql: 'CREATE TABLE b (x INT);\n', name: 'b', breakpoints: true });
    writeFileSync(join(out, '0000_a.sql'), 'CREATE TABLE a (x TEXT);\n');
    writeFileSync(join(out, '0007_stray.sql'), 'SELECT 1;\n');
    rmSync(join(out, '0001_b.sql'));
    const kinds = checkFolder(out).map((problem) => problem.kind).sort();
    expect(kinds).toEqual(['broken-chain', 'edited', 'missing-sql', 'orphan-sql']);
  });

  it('splits statements at breakpoints and top-level semicolons, keeping strings and comments intact', () => {
    expect(splitStatements("SELECT ';' AS a; SELECT 2 -- one; two\n;\n--> statement-breakpoint\n-- only a comment\n")).toEqual([
      "SELECT ';' AS a",
      'SELECT 2 -- one; two',
    ]);
  });
});

describe('SHOW CREATE TABLE parsing', () => {
  it('reads every clause', () => {
    const table = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "doc"."kp1" (
   "id" INTEGER NOT NULL,
   "ts" TIMESTAMP WITH TIME ZONE DEFAULT now(),
   "g" INTEGER GENERATED ALWAYS AS "id" + 1,
   "s" GEO_SHAPE INDEX USING GEOHASH,
   "s2" GEO_SHAPE INDEX USING QUADTREE WITH (
      distance_error_pct = 0.25,
      precision = '1m'
   ),
   "t" TEXT INDEX USING FULLTEXT WITH (
      analyzer = 'standard'
   ),
   "off" TEXT INDEX OFF STORAGE WITH (
      columnstore = false
   ),
   "c" CHARACTER(5),
   "n" NUMERIC(10, 2),
   "o" OBJECT(STRICT) AS (
      "x" INTEGER,
      "y" OBJECT(DYNAMIC) AS (
         "z" TEXT DEFAULT 'a'
      )
   ),
   "oa" ARRAY(OBJECT(DYNAMIC) AS (
      "q" INTEGER
   )),
   "d" DOUBLE PRECISION,
   PRIMARY KEY ("id"),
   INDEX "ft" USING FULLTEXT ("t", "c") WITH (
      analyzer = 'english'
   ),
   CONSTRAINT c1 CHECK("id" > 0)
)
CLUSTERED BY ("id") INTO 2 SHARDS
PARTITIONED BY ("c")
WITH (
   column_policy = 'strict',
   "merge.scheduler.max_thread_count" = 1,
   number_of_replicas = '0-1',
   refresh_interval = 500
)`);
    expect(table).toMatchObject({
      name: 'kp1',
      primaryKey: { columns: ['id'] },
      clusteredBy: { shards: 2 },
      partitionedBy: ['c'],
      settings: { 'merge.scheduler.max_thread_count': 1, refresh_interval: 500 },
      checks: [{ name: 'c1', expression: '"id" > 0' }],
      fulltextIndexes: [{ name: 'ft', columns: ['"t"', '"c"'], analyzer: 'english' }],
    });
    expect(table.schema).toBeUndefined();
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c]));
    expect(byName.g).toMatchObject({ generated: '"id" + 1' });
    expect(byName.s!.index).toBeUndefined();
    expect(byName.s2!.index).toEqual({ method: 'quadtree', precision: '1m', distanceErrorPct: 0.25 });
    expect(byName.t!.index).toEqual({ method: 'fulltext' });
    expect(byName.off).toMatchObject({ index: { method: 'off' }, columnstore: false });
    expect(byName.o!.type).toMatchObject({ kind: 'object', policy: 'strict', columns: [{ name: 'x' }, { name: 'y', type: { kind: 'object', columns: [{ name: 'z', default: "'a'" }] } }] });
    expect(byName.oa!.type).toMatchObject({ kind: 'array', element: { kind: 'object', policy: 'dynamic' } });
    expect(byName.d!.type).toEqual({ kind: 'scalar', name: 'DOUBLE PRECISION' });
  });

  it('pull writes builders that describe the same table', () => {
    const parsed = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "metrics"."m" (
   "id" TEXT NOT NULL,
   "at" TIMESTAMP WITHOUT TIME ZONE,
   PRIMARY KEY ("id")
)
CLUSTERED BY ("id") INTO 4 SHARDS
WITH (column_policy = 'dynamic', number_of_replicas = '0-1')`);
    const source = writeSchemaSource([parsed], { defaultShards: 4 });
    expect(source).toContain("export const metricsSchema = crateSchema('metrics');");
    expect(source).toContain("id: text('id').primaryKey(),");
    expect(source).toContain("withOptions({ column_policy: 'dynamic' })");
    expect(canonicalTable(parsed).clusteredBy).toEqual({ shards: 4 });
  });

  it("pull writes every type by its row of the type table: builder, parameters, fixed options", () => {
    const parsed = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "doc"."every" (
   "t" TEXT,
   "v" VARCHAR(10),
   "c" CHARACTER(3),
   "b" BOOLEAN,
   "s" SMALLINT,
   "i" INTEGER,
   "l" BIGINT,
   "r" REAL,
   "d" DOUBLE PRECISION,
   "n" NUMERIC(10, 2),
   "n1" NUMERIC(5),
   "tz" TIMESTAMP WITH TIME ZONE,
   "ts" TIMESTAMP WITHOUT TIME ZONE,
   "ip" IP,
   "bits" BIT(4),
   "p" GEO_POINT,
   "g" GEO_SHAPE INDEX USING QUADTREE WITH (precision = '1m'),
   "vec" FLOAT_VECTOR(3)
)`);
    const source = writeSchemaSource([parsed], { defaultShards: 4 });
    for (const line of [
      "t: text('t'),",
      "v: varchar('v', { length: 10 }),",
      "c: char('c', { length: 3 }),",
      "b: boolean('b'),",
      "s: smallint('s'),",
      "i: integer('i'),",
      "l: bigint('l'),",
      "r: real('r'),",
      "d: doublePrecision('d'),",
      "n: numeric('n', { precision: 10, scale: 2 }),",
      "n1: numeric('n1', { precision: 5 }),",
      "tz: timestamp('tz', { withTimezone: true }),",
      "ts: timestamp('ts'),",
      "ip: ip('ip'),",
      "bits: bit('bits', { length: 4 }),",
      "p: geoPoint('p'),",
      "g: geoShape('g', { index: 'quadtree', precision: '1m' }),",
      "vec: floatVector('vec', { dimensions: 3 }),",
    ]) {
      expect(source).toContain(line);
    }
    const byte = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "doc"."b" ("x" BYTE)`);
    expect(() => writeSchemaSource([byte])).toThrow(/BYTE, which no drizzle-cratedb builder declares/);
  });

  it("pull nests arrays in one call, '[][]', the form both lines take (v1 refuses .array().array())", () => {
    const parsed = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "doc"."g" (
   "grid" ARRAY(ARRAY(INTEGER)),
   "cube" ARRAY(ARRAY(ARRAY(TEXT))),
   "flat" ARRAY(TEXT),
   "docs" ARRAY(OBJECT(DYNAMIC))
)`);
    const source = writeSchemaSource([parsed], { defaultShards: 4 });
    expect(source).toContain("grid: integer('grid').array('[][]'),");
    expect(source).toContain("cube: text('cube').array('[][][]'),");
    expect(source).toContain("flat: text('flat').array(),");
    expect(source).toContain("docs: objectArray('docs'");
    expect(source).toContain("from 'drizzle-cratedb';");
    expect(writeSchemaSource([parsed], { defaultShards: 4, importFrom: 'drizzle-cratedb/v1' })).toContain("from 'drizzle-cratedb/v1';");
  });

  it("pull imports the entry of the project's drizzle-orm, found as Node would find it", () => {
    const project = mkdtempSync(join(tmpdir(), 'project-line-'));
    try {
      const nested = join(project, 'packages', 'app');
      mkdirSync(nested, { recursive: true });
      expect(projectEntry(nested)).toBe('drizzle-cratedb');
      mkdirSync(join(project, 'node_modules', 'drizzle-orm'), { recursive: true });
      writeFileSync(join(project, 'node_modules', 'drizzle-orm', 'package.json'), JSON.stringify({ name: 'drizzle-orm', version: '1.0.0-rc.5' }));
      expect(projectEntry(nested)).toBe('drizzle-cratedb/v1');
      writeFileSync(join(project, 'node_modules', 'drizzle-orm', 'package.json'), JSON.stringify({ name: 'drizzle-orm', version: '0.45.4' }));
      expect(projectEntry(nested)).toBe('drizzle-cratedb');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('renames without a terminal', () => {
  const a = createSnapshot([describeTable(crateTable('users', { id: text('id'), name: text('name') }))], emptySnapshot().id);
  const b = createSnapshot([describeTable(crateTable('users', { id: text('id'), fullName: text('full_name') }))], a.id);

  it('fail with the question and how to answer it', async () => {
    await expect(resolveRenames(a, b)).rejects.toThrow(/column doc\.users\.full_name: created, or renamed from name\?.*--rename users\.name=full_name/s);
  });

  it('take --rename and --no-renames', async () => {
    expect(await resolveRenames(a, b, { specs: [parseRenameSpec('users.name=full_name')] })).toEqual({ columns: { 'doc.users': { name: 'full_name' } } });
    expect(await resolveRenames(a, b, { noRenames: true })).toEqual({});
    await expect(resolveRenames(a, b, { specs: [parseRenameSpec('users.nope=full_name')], noRenames: true })).rejects.toThrow(/no such rename/);
  });

  it('ask a prompter', async () => {
    const prompter = { choose: async () => 1, confirm: async () => true };
    expect(await resolveRenames(a, b, { prompter })).toEqual({ columns: { 'doc.users': { name: 'full_name' } } });
  });
});

describe('config and arguments', () => {
  it('validates the config and applies defaults', () => {
    const config = resolveConfig({ dialect: 'cratedb', schema: './s.ts', dbCredentials: 'http://localhost:4200' });
    expect(config).toMatchObject({ out: './drizzle', schemaFilter: ['doc'], migrationsTable: '__drizzle_migrations', migrationsSchema: 'drizzle', breakpoints: true });
    expect(() => resolveConfig({ dialect: 'postgresql' })).toThrow(/dialect must be 'cratedb'/);
    expect(() => resolveConfig({ dialect: 'cratedb', colour: true })).toThrow(/unknown option 'colour'/);
  });

  it('dbCredentials given as a url and options: options add to the url, and may not contradict it', () => {
    expect(clientOptions({ url: 'http://localhost:4200', poolSize: 3 } as never)).toMatchObject({ servers: ['http://localhost:4200'], poolSize: 3 });
    expect(clientOptions({ url: 'http://crate:secret@localhost:4200', password: 'secret' } as never)).toMatchObject({ password: 'secret' });
    const call = () => clientOptions({ url: 'http://crate:secret@localhost:4200', password: 'other' } as never);
    expect(call).toThrow(/'password' is given both in the url and as an option/);
    expect(call).not.toThrow(/secret|other/);
  });

  it('parses drizzle-kit style flags', () => {
    expect(parseArgs(['generate', '--name', 'init', '--custom', '--config=x.ts', '--rename', 'a=b', '--rename', 'c.d=e', '--breakpoints', 'false'])).toEqual({
      command: 'generate',
      options: { name: 'init', custom: true, config: 'x.ts', rename: ['a=b', 'c.d=e'], breakpoints: false },
    });
    expect(parseArgs(['push', '--force', '--no-strict']).options).toEqual({ force: true, strict: false });
    expect(() => parseArgs(['generate', '--force'])).toThrow(/unknown option --force for generate/);
    expect(() => parseArgs(['frobnicate'])).toThrow(/unknown command/);
  });
});
