import { sql } from 'drizzle-orm';
import { foreignKey, index, serial, integer as pgInteger, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  bigint,
  boolean,
  clusteredBy,
  crateSchema,
  crateTable,
  CrateSchemaError,
  floatVector,
  fulltextIndex,
  geoPoint,
  geoShape,
  getCreateTableSql,
  integer,
  object,
  objectArray,
  partitionedBy,
  primaryKey,
  text,
  timestamp,
  varchar,
} from 'drizzle-cratedb';

/** Runs `define` and returns the CrateSchemaError it throws. */
function refusal(define: () => unknown): CrateSchemaError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(CrateSchemaError);
    return error as CrateSchemaError;
  }
  throw new Error('expected the definition to be refused');
}

// Casts stand for JavaScript callers: TypeScript already refuses these calls.
const anyBuilder = (builder: unknown) => builder as ReturnType<typeof text>;

describe('what CrateDB rejects fails when the table is defined, naming table, column and rule', () => {
  it.each([
    ['unique()', () => crateTable('users', { email: text().unique() }), 'email', /UNIQUE/],
    ['references()', () => crateTable('users', { teamId: text().references(() => ({}) as never) }), 'teamId', /foreign keys/],
    ['pg-core serial', () => crateTable('users', { id: anyBuilder(serial()) }), 'id', /sequences.*gen_random_text_uuid/],
    [
      'pg-core identity column',
      () => crateTable('users', { id: anyBuilder(pgInteger().generatedAlwaysAsIdentity()) }),
      'id',
      /sequences/,
    ],
    ['a pg-core builder', () => crateTable('users', { n: anyBuilder(pgInteger()) }), 'n', /not a drizzle-cratedb column/],
    ['default on an object', () => crateTable('docs', { body: object().default({ a: 1 }) }), 'body', /DEFAULT on an OBJECT/],
    ['primary key on an object', () => crateTable('docs', { body: object().primaryKey() }), 'body', /PRIMARY KEY/],
    ['primary key on a geo point', () => crateTable('places', { at: geoPoint().primaryKey() }), 'at', /PRIMARY KEY/],
    ['primary key on an array', () => crateTable('tags', { names: text().array().primaryKey() }), 'names', /PRIMARY KEY/],
    ['primary key on a vector', () => crateTable('v', { e: floatVector({ dimensions: 2 }).primaryKey() }), 'e', /PRIMARY KEY/],
    [
      'table-level primary key on a geo shape',
      () => crateTable('areas', { id: text(), area: geoShape() }, (t) => [primaryKey({ columns: [t.id, t.area] })]),
      'area',
      /PRIMARY KEY/,
    ],
    [
      'generated column referencing a generated column in raw SQL',
      () => getCreateTableSql(crateTable('g', { a: integer(), b: integer().generatedAlwaysAs(sql`a + 1`), c: integer().generatedAlwaysAs(sql`B * 2`) })),
      'c',
      /references generated column "b"/,
    ],
    [
      'generated column referencing a generated column object',
      () => {
        const g = crateTable('g', {
          a: integer(),
          b: integer().generatedAlwaysAs(sql`a + 1`),
          c: integer().generatedAlwaysAs((): ReturnType<typeof sql> => sql`coalesce(${g.b}, 'b')`),
        });
        return getCreateTableSql(g);
      },
      'c',
      /references generated column "b"/,
    ],
    ['columnstore on boolean', () => crateTable('t', { flag: (boolean() as any).columnstore(false) }), 'flag', /columnstore/],
    ['columnstore on an object', () => crateTable('t', { o: (object() as any).columnstore(false) }), 'o', /columnstore/],
    ['indexOff on an object', () => crateTable('t', { o: (object() as any).indexOff() }), 'o', /indexOff/],
    ['indexOff on a geo point', () => crateTable('t', { p: (geoPoint() as any).indexOff() }), 'p', /indexOff/],
    ['indexOff on a geo shape', () => crateTable('t', { s: (geoShape() as any).indexOff() }), 's', /indexOff/],
    ['fulltext on an integer', () => crateTable('t', { n: (integer() as any).fulltext() }), 'n', /full-text/],
    [
      'partition column missing from the primary key',
      () => crateTable('events', { id: text().primaryKey(), day: timestamp() }, (t) => [partitionedBy(t.day)]),
      'day',
      /PARTITIONED BY column must be part of the primary key/,
    ],
    [
      'partition on an object',
      () => crateTable('events', { id: text(), o: object() }, (t) => [partitionedBy(t.o)]),
      'o',
      /primitive/,
    ],
    [
      'clustered by a column outside the primary key',
      () => crateTable('events', { id: text().primaryKey(), tenant: text() }, (t) => [clusteredBy({ column: t.tenant })]),
      'tenant',
      /CLUSTERED BY column must be part of the primary key/,
    ],
    [
      'a sub-column primary key',
      () => crateTable('docs', { id: text(), body: object({ columns: { key: text().primaryKey() } }) }),
      "body['key']",
      /sub-column/,
    ],
    [
      'a sub-column rule, reported with its path',
      () => crateTable('docs', { body: object({ columns: { inner: object({ columns: { tags: (text() as any).unique() } }) } }) }),
      "body['inner']['tags']",
      /UNIQUE/,
    ],
    ['fulltext on a varchar', () => crateTable('t', { v: (varchar({ length: 3 }) as any).fulltext() }), 'v', /full-text/],
    [
      'a named full-text index over a varchar',
      () => crateTable('t', { v: varchar({ length: 3 }), w: text() }, (t) => [fulltextIndex('ft').on(t.w, t.v)]),
      'v',
      /TEXT or ARRAY\(TEXT\).*VARCHAR\(3\)/,
    ],
    ['columnstore on an array of booleans', () => crateTable('t', { b: (boolean().array() as any).columnstore(false) }), 'b', /columnstore/],
    ['a vector in an array', () => crateTable('v', { e: floatVector({ dimensions: 2 }).array() }), 'e', /FLOAT_VECTOR/],
    ['a bad geo index precision', () => crateTable('s', { a: geoShape({ precision: 'far' }) }), 'a', /precision 'far'/],
  ])('%s', (_name, define, column, rule) => {
    const error = refusal(define);
    expect(error.column).toBe(column);
    expect(error.table).toBeDefined();
    expect(error.message).toContain(`table "${error.table}"`);
    expect(error.message).toContain(`column "${column}"`);
    expect(error.message).toMatch(rule);
  });

  it.each([
    ['pg-core index()', (t: any) => [index('i').on(t.a)], /no CREATE INDEX/],
    ['pg-core uniqueIndex()', (t: any) => [uniqueIndex('i').on(t.a)], /CREATE INDEX/],
    ['pg-core unique()', (t: any) => [unique().on(t.a)], /UNIQUE/],
    ['pg-core foreignKey()', (t: any) => [foreignKey({ columns: [t.a], foreignColumns: [t.a] })], /foreign keys/],
  ])('table extra %s', (_name, extras, rule) => {
    const error = refusal(() => crateTable('t', { a: text() }, extras));
    expect(error.table).toBe('t');
    expect(error.message).toMatch(rule);
  });

  it('builder arguments are checked at once', () => {
    expect(() => floatVector({ dimensions: 0 })).toThrow(/between 1 and 2048/);
    expect(() => floatVector({ dimensions: 2049 })).toThrow(/between 1 and 2048/);
    expect(() => object({ policy: 'loose' as never })).toThrow(/policy must be/);
    expect(() => bigint({ mode: 'bigint' })).not.toThrow();
  });
});

describe('what CrateDB accepts is accepted', () => {
  it('partition columns in the primary key, clustered by a key column', () => {
    expect(() =>
      crateTable('events', { tenant: text(), day: timestamp(), id: text() }, (t) => [
        primaryKey({ columns: [t.tenant, t.day, t.id] }),
        partitionedBy(t.day),
        clusteredBy({ column: t.tenant, shards: 4 }),
      ]),
    ).not.toThrow();
  });

  it('a generated column may use other columns, functions and string literals that look like generated names', () => {
    const table = crateTable('g', { a: integer(), b: integer().generatedAlwaysAs(sql`a + 1`), c: text().generatedAlwaysAs(sql`concat('b', lower('x'))`) });
    expect(() => getCreateTableSql(table)).not.toThrow();
  });

  it('object arrays, sub-column defaults and not-null sub-columns', () => {
    expect(() => crateTable('d', { o: objectArray({ columns: { a: text().notNull().default('x') } }) })).not.toThrow();
  });
});

describe('names CrateDB refuses are refused when the table is defined', () => {
  it.each([
    ['a table name with a space', () => crateTable('my table', { a: text() }), { table: 'my table' }, /a space/],
    ['a table name with a dot', () => crateTable('a.b', { a: text() }), { table: 'a.b' }, /'\.'/],
    ['a table name starting with -', () => crateTable('-x', { a: text() }), { table: '-x' }, /start with '-'/],
    ['a schema name with a slash', () => crateSchema('a/b').table('t', { a: text() }), { option: "crateSchema('a/b')" }, /'\/'/],
    ['a column name with a tab', () => crateTable('t', { a: text('a\tb') }), { table: 't', column: 'a\tb' }, /tab, newline/],
    ['a column name with a newline', () => crateTable('t', { a: text('a\nb') }), { table: 't', column: 'a\nb' }, /tab, newline/],
    ['a column name with [', () => crateTable('t', { a: text('a[0]') }), { table: 't', column: 'a[0]' }, /subscript/],
    ['a system column name', () => crateTable('t', { id: text('_id') }), { table: 't', column: '_id' }, /system column/],
    [
      'an object key with a dot',
      () => crateTable('t', { o: object({ columns: { 'a.b': text() } }) }),
      { table: 't', column: "o['a.b']" },
      /object path/,
    ],
  ])('%s', (_name, define, where, reason) => {
    const error = refusal(define);
    expect(error.rule).toBe('identifier');
    expect(error).toMatchObject(where);
    expect(error.message).toMatch(reason);
  });

  it('names CrateDB takes pass: mixed case, unicode, a system name as an object key', () => {
    expect(() => crateTable('Mixed_Case', { 'Größe': text(), o: object({ columns: { _id: text() } }) })).not.toThrow();
  });

  it("start and length rules apply to the table's index name, which includes a schema other than doc", () => {
    expect(() => crateSchema('s1').table('-x', { a: text() })).not.toThrow();
    expect(() => crateSchema('doc').table('-x', { a: text() })).toThrow(/doc schema cannot start with '-'/);
    expect(() => crateTable('x'.repeat(255), { a: text() })).not.toThrow();
    expect(refusal(() => crateSchema('s1').table('x'.repeat(253), { a: text() })).message).toMatch(/together .* longer than 255 bytes/);
    expect(refusal(() => crateSchema('-s')).message).toMatch(/schema name cannot start with '-'/);
  });
});
