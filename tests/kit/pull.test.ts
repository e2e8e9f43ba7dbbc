/** `pull` without a database: SHOW CREATE TABLE parsed into a table definition, and the schema source written from it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShowCreateTable } from '../../src/kit/introspect.js';
import { writeSchemaSource } from '../../src/kit/pull-writer.js';
import { projectEntry } from '../../src/kit/project-line.js';
import { canonicalTable } from '../../src/kit/snapshot.js';

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
   "by" BYTE,
   "u" UUID,
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
      "by: byte('by'),",
      "u: uuid('u'),",
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
    const unknown = parseShowCreateTable(`CREATE TABLE IF NOT EXISTS "doc"."b" ("x" FOO)`);
    expect(() => writeSchemaSource([unknown])).toThrow(/FOO, which no drizzle-cratedb builder declares/);
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
