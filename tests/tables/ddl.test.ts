import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  bigint,
  bit,
  boolean,
  char,
  check,
  clusteredBy,
  crateSchema,
  crateTable,
  doublePrecision,
  floatVector,
  fulltextIndex,
  geoPoint,
  geoShape,
  getCreateTableSql,
  getDropTableSql,
  integer,
  ip,
  numeric,
  object,
  objectArray,
  partitionedBy,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  varchar,
  withOptions,
  type CrateColumnsMap,
} from 'drizzle-cratedb';
import { books, characters, cities } from '../fixtures/schemas.js';
import { expectCrateSql } from '../support/grammar.js';

/** The column line of a one-column table, after checking the whole statement parses. */
function columnDdl(builder: CrateColumnsMap[string]): string {
  const statement = getCreateTableSql(crateTable('t', { c: builder }));
  expectCrateSql(statement);
  return statement.split('\n')[1]!.trim();
}

describe('column types', () => {
  it.each([
    ['text', text(), '"c" TEXT'],
    ['varchar', varchar({ length: 10 }), '"c" VARCHAR(10)'],
    ['char', char({ length: 3 }), '"c" CHARACTER(3)'],
    ['boolean', boolean(), '"c" BOOLEAN'],
    ['smallint', smallint(), '"c" SMALLINT'],
    ['integer', integer(), '"c" INTEGER'],
    ['bigint', bigint(), '"c" BIGINT'],
    ['bigint mode bigint', bigint({ mode: 'bigint' }), '"c" BIGINT'],
    ['real', real(), '"c" REAL'],
    ['double precision', doublePrecision(), '"c" DOUBLE PRECISION'],
    ['numeric', numeric({ precision: 10, scale: 2 }), '"c" NUMERIC(10, 2)'],
    ['numeric without scale', numeric({ precision: 5 }), '"c" NUMERIC(5)'],
    ['timestamp', timestamp(), '"c" TIMESTAMP WITHOUT TIME ZONE'],
    ['timestamp with time zone', timestamp({ withTimezone: true }), '"c" TIMESTAMP WITH TIME ZONE'],
    ['ip', ip(), '"c" IP'],
    ['bit', bit({ length: 8 }), '"c" BIT(8)'],
    ['array', integer().array(), '"c" ARRAY(INTEGER)'],
    ['object', object(), '"c" OBJECT(DYNAMIC)'],
    ['object ignored', object({ policy: 'ignored' }), '"c" OBJECT(IGNORED)'],
    [
      'object with sub-columns',
      object({ columns: { a: integer().notNull(), b: text().default('x'), c: object({ policy: 'dynamic', columns: { d: timestamp() } }) } }),
      '"c" OBJECT(STRICT) AS ("a" INTEGER NOT NULL, "b" TEXT DEFAULT \'x\', "c" OBJECT(DYNAMIC) AS ("d" TIMESTAMP WITHOUT TIME ZONE))',
    ],
    ['object with explicit policy', object({ policy: 'dynamic', columns: { a: text() } }), '"c" OBJECT(DYNAMIC) AS ("a" TEXT)'],
    ['object array', objectArray(), '"c" ARRAY(OBJECT(DYNAMIC))'],
    ['object array with sub-columns', objectArray({ columns: { id: integer() } }), '"c" ARRAY(OBJECT(STRICT) AS ("id" INTEGER))'],
    ['geo point', geoPoint(), '"c" GEO_POINT'],
    ['geo shape', geoShape(), '"c" GEO_SHAPE'],
    ['geo shape quadtree', geoShape({ index: 'quadtree', precision: '1m', distanceErrorPct: 0.25 }), '"c" GEO_SHAPE INDEX USING QUADTREE WITH (precision = \'1m\', distance_error_pct = 0.25)'],
    ['geo shape bkdtree', geoShape({ index: 'bkdtree' }), '"c" GEO_SHAPE INDEX USING BKDTREE'],
    ['float vector', floatVector({ dimensions: 384 }), '"c" FLOAT_VECTOR(384)'],
  ])('%s', (_name, builder, expected) => {
    expect(columnDdl(builder)).toBe(expected);
  });
});

describe('column clauses', () => {
  it.each([
    ['not null', text().notNull(), '"c" TEXT NOT NULL'],
    ['default literal', integer().default(3), '"c" INTEGER DEFAULT 3'],
    ['default string is quoted', text().default("it's"), `"c" TEXT DEFAULT 'it''s'`],
    ['default array', text().array().default(['a', 'b']), `"c" ARRAY(TEXT) DEFAULT ['a', 'b']`],
    ['default sql', bigint().default(sql`1 + 1`), '"c" BIGINT DEFAULT 1 + 1'],
    ['defaultRandom', text().defaultRandom(), '"c" TEXT DEFAULT gen_random_text_uuid()'],
    ['defaultNow', timestamp({ withTimezone: true }).defaultNow(), '"c" TIMESTAMP WITH TIME ZONE DEFAULT now()'],
    ['index off', text().indexOff(), '"c" TEXT INDEX OFF'],
    ['fulltext', text().fulltext(), '"c" TEXT INDEX USING FULLTEXT'],
    ['fulltext with analyzer', text().fulltext({ analyzer: 'english' }), '"c" TEXT INDEX USING FULLTEXT WITH (analyzer = \'english\')'],
    ['fulltext on an array', text().fulltext({ analyzer: 'english' }).array(), '"c" ARRAY(TEXT) INDEX USING FULLTEXT WITH (analyzer = \'english\')'],
    ['columnstore off', text().columnstore(false), '"c" TEXT STORAGE WITH (columnstore = false)'],
    ['columnstore off on numbers', doublePrecision().columnstore(false), '"c" DOUBLE PRECISION STORAGE WITH (columnstore = false)'],
    ['columnstore off on arrays of text', text().array().columnstore(false), '"c" ARRAY(TEXT) STORAGE WITH (columnstore = false)'],
    ['index off on a vector', floatVector({ dimensions: 2 }).indexOff(), '"c" FLOAT_VECTOR(2) INDEX OFF'],
    ['columnstore off on timestamps', timestamp().columnstore(false), '"c" TIMESTAMP WITHOUT TIME ZONE STORAGE WITH (columnstore = false)'],
    ['all clauses in CrateDB order', text().notNull().default('a').indexOff().columnstore(false), `"c" TEXT DEFAULT 'a' NOT NULL INDEX OFF STORAGE WITH (columnstore = false)`],
  ])('%s', (_name, builder, expected) => {
    expect(columnDdl(builder)).toBe(expected);
  });

  it('generated columns render their expression with bare column names and inline values', () => {
    const table = crateTable('g', {
      ts: timestamp({ withTimezone: true }),
      day: timestamp({ withTimezone: true }).generatedAlwaysAs(sql`date_trunc('day', ts)`),
      label: text().generatedAlwaysAs((): SQL => sql`concat(${table.name}, ${'-'}, ${table.n})`),
      name: text(),
      n: integer(),
    });
    const statement = getCreateTableSql(table);
    expectCrateSql(statement);
    expect(statement).toContain(`"day" TIMESTAMP WITH TIME ZONE GENERATED ALWAYS AS (date_trunc('day', ts))`);
    expect(statement).toContain(`"label" TEXT GENERATED ALWAYS AS (concat("name", '-', "n"))`);
  });

  it('column checks become named table constraints', () => {
    const table = crateTable('c', { price: doublePrecision().check('price_positive', sql`price > 0`) }, (t) => [check('sane', sql`${t.price} < 1000000`)]);
    const statement = getCreateTableSql(table);
    expectCrateSql(statement);
    expect(statement).toContain('CONSTRAINT "price_positive" CHECK (price > 0)');
    expect(statement).toContain('CONSTRAINT "sane" CHECK ("price" < 1000000)');
  });
});

describe('table options', () => {
  it('renders every table clause in an order CrateDB parses', () => {
    const table = crateTable(
      'metrics',
      {
        tenant: text().notNull(),
        day: timestamp({ withTimezone: true }).notNull(),
        id: text().notNull(),
        body: text(),
        title: text(),
      },
      (t) => [
        primaryKey({ name: 'metrics_pk', columns: [t.tenant, t.day, t.id] }),
        clusteredBy({ column: t.tenant, shards: 6 }),
        partitionedBy(t.day),
        fulltextIndex('body_ft').on(t.title, t.body).with({ analyzer: 'english' }),
        withOptions({ number_of_replicas: '0-1', refresh_interval: 1000, 'translog.durability': 'async', 'blocks.read_only': false, column_policy: 'strict' }),
      ],
    );
    const statement = getCreateTableSql(table, { ifNotExists: true });
    expectCrateSql(statement);
    expect(statement).toBe(
      [
        'CREATE TABLE IF NOT EXISTS "metrics" (',
        '  "tenant" TEXT NOT NULL,',
        '  "day" TIMESTAMP WITH TIME ZONE NOT NULL,',
        '  "id" TEXT NOT NULL,',
        '  "body" TEXT,',
        '  "title" TEXT,',
        '  INDEX "body_ft" USING FULLTEXT ("title", "body") WITH (analyzer = \'english\'),',
        '  CONSTRAINT "metrics_pk" PRIMARY KEY ("tenant", "day", "id")',
        ')',
        'CLUSTERED BY ("tenant") INTO 6 SHARDS',
        'PARTITIONED BY ("day")',
        `WITH (number_of_replicas = '0-1', refresh_interval = 1000, "translog.durability" = 'async', "blocks.read_only" = FALSE, column_policy = 'strict')`,
      ].join('\n'),
    );
  });

  it('clusteredBy with shards only', () => {
    const statement = getCreateTableSql(crateTable('t', { a: text() }, () => [clusteredBy({ shards: 2 })]));
    expectCrateSql(statement);
    expect(statement).toMatch(/\)\nCLUSTERED INTO 2 SHARDS$/);
  });

  it('crateSchema qualifies the table; crateTable leaves it to the connection default', () => {
    const metrics = crateSchema('metrics').table('cpu', { host: text().primaryKey() });
    expect(getCreateTableSql(metrics)).toMatch(/^CREATE TABLE "metrics"\."cpu" \(/);
    expect(getDropTableSql(metrics, { ifExists: true })).toBe('DROP TABLE IF EXISTS "metrics"."cpu"');
    expect(getDropTableSql(crateTable('t', { a: text() }))).toBe('DROP TABLE "t"');
    expectCrateSql(getDropTableSql(metrics, { ifExists: true }));
  });

});

describe('the documentation tables', () => {
  it('characters (SQLAlchemy dialect overview)', () => {
    const statement = getCreateTableSql(characters);
    expectCrateSql(statement);
    expect(statement).toBe(
      [
        'CREATE TABLE "characters" (',
        '  "id" TEXT DEFAULT gen_random_text_uuid() NOT NULL,',
        '  "name" TEXT INDEX OFF,',
        '  "name_normalized" TEXT GENERATED ALWAYS AS (lower(name)),',
        '  "quote" TEXT NOT NULL,',
        '  "details" OBJECT(DYNAMIC),',
        '  "more_details" ARRAY(OBJECT(DYNAMIC)),',
        '  "even_more_details" TEXT STORAGE WITH (columnstore = false),',
        '  "created_at" TIMESTAMP WITHOUT TIME ZONE DEFAULT now(),',
        '  PRIMARY KEY ("id")',
        ')',
        'CLUSTERED INTO 3 SHARDS',
      ].join('\n'),
    );
  });

  it('cities', () => {
    const statement = getCreateTableSql(cities);
    expectCrateSql(statement);
    expect(statement).toContain('"coordinate" GEO_POINT');
    expect(statement).toContain('"area" GEO_SHAPE');
  });

  it('books (SQLAlchemy tutorial)', () => {
    const statement = getCreateTableSql(books);
    expectCrateSql(statement);
    expect(statement).toContain(`"title" TEXT NOT NULL INDEX USING FULLTEXT WITH (analyzer = 'english')`);
    expect(statement).toContain('"categories" ARRAY(TEXT)');
    expect(statement).toMatch(/WITH \(number_of_replicas = '0'\)$/);
  });
});
