import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { crateTable, drizzle, integer, object, text, timestamp, CrateUnsupportedError } from 'drizzle-cratedb';
import { expectCrateSql } from '../support/grammar.js';
import { onLine } from '../support/lines.js';
import { recordingClient } from '../support/recording-client.js';

const authors = crateTable('authors', {
  id: text().primaryKey(),
  name: text().notNull(),
});
const books = crateTable('books', {
  id: text().primaryKey().defaultRandom(),
  title: text().notNull(),
  authorId: text('author_id').notNull(),
  pages: integer(),
  published: timestamp(),
  meta: object({ columns: { isbn: text() } }),
});

function setup() {
  const { client, calls } = recordingClient();
  return { db: drizzle({ client }), calls };
}

describe('SQL that pg-core builds and CrateDB parses', () => {
  const { db } = setup();
  const cases: [string, { toSQL(): { sql: string; params: unknown[] } }][] = [
    [
      'select with join, where, group by, having, order, limit, offset',
      db
        .select({ author: authors.name, books: count() })
        .from(books)
        .innerJoin(authors, eq(books.authorId, authors.id))
        .where(and(gt(books.pages, 100), eq(authors.name, 'Douglas Adams')))
        .groupBy(authors.name)
        .having(gt(count(), 1))
        .orderBy(desc(count()))
        .limit(10)
        .offset(5),
    ],
    ['left join with alias', db.select().from(books).leftJoin(alias(authors, 'a'), sql`true`)],
    ['select distinct', db.selectDistinct({ name: authors.name }).from(authors)],
    ['insert returning', db.insert(authors).values({ id: 'a1', name: 'Ann' }).returning()],
    ['insert many', db.insert(authors).values([{ id: 'a1', name: 'Ann' }, { id: 'a2', name: 'Bob' }])],
    ['upsert do nothing', db.insert(authors).values({ id: 'a1', name: 'Ann' }).onConflictDoNothing()],
    ['upsert do nothing on target', db.insert(authors).values({ id: 'a1', name: 'Ann' }).onConflictDoNothing({ target: authors.id })],
    [
      'upsert do update with excluded',
      db
        .insert(authors)
        .values({ id: 'a1', name: 'Ann' })
        .onConflictDoUpdate({ target: authors.id, set: { name: sql`excluded.name` } }),
    ],
    ['update returning', db.update(books).set({ pages: 10 }).where(eq(books.id, 'b')).returning({ id: books.id })],
    ['delete', db.delete(books).where(eq(books.id, 'b'))],
    ['union', db.select({ id: books.id }).from(books).union(db.select({ id: authors.id }).from(authors))],
    ['union all with order and limit', db.select({ id: books.id }).from(books).unionAll(db.select({ id: authors.id }).from(authors)).orderBy(sql`id`).limit(3)],
    ['intersect', db.select({ id: books.id }).from(books).intersect(db.select({ id: authors.id }).from(authors))],
    ['except', db.select({ id: books.id }).from(books).except(db.select({ id: authors.id }).from(authors))],
    [
      'chained intersect wraps the left side',
      db
        .select({ id: books.id })
        .from(books)
        .intersect(db.select({ id: authors.id }).from(authors))
        .intersect(db.select({ id: authors.name }).from(authors)),
    ],
    [
      'a side with its own limit becomes a subquery',
      db.select({ id: books.id }).from(books).limit(2).union(db.select({ id: authors.id }).from(authors).orderBy(authors.id).limit(1)),
    ],
    ['prepared placeholders', db.select().from(books).where(eq(books.id, sql.placeholder('id'))).limit(sql.placeholder('n'))],
  ];
  const cte = db.$with('t').as(db.select({ id: books.id }).from(books));
  cases.push(['cte', db.with(cte).select().from(cte)]);

  it.each(cases)('%s', (_name, query) => {
    expectCrateSql(query.toSQL().sql);
  });

  it('sends values as parameters, never inline', () => {
    const query = db.insert(authors).values({ id: "x'); drop table authors; --", name: 'n' }).toSQL();
    expect(query.sql).toBe('insert into "authors" ("id", "name") values ($1, $2)');
    expect(query.params).toEqual(["x'); drop table authors; --", 'n']);
  });

  it('writes set operations without the parentheses CrateDB cannot parse', () => {
    const query = db.select({ id: books.id }).from(books).union(db.select({ id: authors.id }).from(authors)).toSQL();
    expect(query.sql).toBe('select "id" from "books" union select "id" from "authors"');
  });

  it('leaves out columns no row sets, so server defaults apply without VALUES (DEFAULT)', () => {
    const query = db.insert(books).values({ title: 't', authorId: 'a' }).toSQL();
    expect(query.sql).toBe('insert into "books" ("title", "author_id") values ($1, $2)');
    expect(query.params).toEqual(['t', 'a']);
  });

  it('keeps DEFAULT for a column that only some rows set', () => {
    const query = db
      .insert(books)
      .values([
        { title: 't1', authorId: 'a', pages: 3 },
        { title: 't2', authorId: 'a' },
      ])
      .toSQL();
    expect(query.sql).toBe('insert into "books" ("title", "author_id", "pages") values ($1, $2, $3), ($4, $5, default)');
  });
});

describe('what CrateDB cannot do fails before anything is sent', () => {
  const refusals: [string, (db: ReturnType<typeof setup>['db']) => unknown, RegExp][] = [
    ['delete returning', (db) => db.delete(books).returning().toSQL(), /delete\(books\)\.returning\(\)/],
    ['select for update', (db) => db.select().from(books).for('update').toSQL(), /select\(\)\.for\('update'\).*_seq_no/s],
    ['distinct on', (db) => db.selectDistinctOn([books.title]).from(books).toSQL(), /selectDistinctOn/],
    [
      'lateral join',
      (db) =>
        db
          .select()
          .from(books)
          .leftJoinLateral(db.select().from(authors).where(eq(authors.id, books.authorId)).as('a'), sql`true`)
          .toSQL(),
      /left join lateral/,
    ],
    ['with recursive', (db) => db.execute(sql`with recursive t as (select 1) select * from t`), /WITH RECURSIVE/],
    ['rollback', (db) => db.execute(sql`rollback`), /ROLLBACK/],
    [
      'conflict target where',
      (db) =>
        db
          .insert(authors)
          .values({ id: 'a', name: 'n' })
          .onConflictDoUpdate({ target: authors.id, set: { name: 'm' }, targetWhere: sql`true` })
          .toSQL(),
      /conflict-target WHERE/,
    ],
    [
      'do update where',
      (db) =>
        db
          .insert(authors)
          .values({ id: 'a', name: 'n' })
          .onConflictDoUpdate({ target: authors.id, set: { name: 'm' }, setWhere: sql`true` })
          .toSQL(),
      /DO UPDATE \.\.\. WHERE/,
    ],
    ['conflict do nothing where', (db) => db.insert(authors).values({ id: 'a', name: 'n' }).onConflictDoNothing({ target: authors.id, where: sql`true` }).toSQL(), /ON CONFLICT/],
    ['update from', (db) => db.update(books).set({ pages: 1 }).from(authors).toSQL(), /update\(books\)\.from\(\)/],
    ['intersect all', (db) => db.select({ id: books.id }).from(books).intersectAll(db.select({ id: authors.id }).from(authors)).toSQL(), /intersect all/],
  ];

  it.each(refusals)('%s', async (_name, build, message) => {
    const { db, calls } = setup();
    let error: unknown;
    try {
      await build(db);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CrateUnsupportedError);
    expect((error as Error).message).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it('db.transaction() is refused with advice, and sends nothing', async () => {
    const { db, calls } = setup();
    await expect(db.transaction(async () => 1)).rejects.toThrow(/transactions .*onConflictDoUpdate.*_seq_no/s);
    expect(calls).toHaveLength(0);
  });

  it('a batch with one refused statement sends none of them', async () => {
    const { db, calls } = setup();
    await expect(db.batch([db.insert(authors).values({ id: 'a', name: 'n' }), db.delete(books).returning()])).rejects.toThrow(
      CrateUnsupportedError,
    );
    expect(calls).toHaveLength(0);
  });
});

describe('session', () => {
  it('maps array rows through the columns, and execute() gives rows as objects', async () => {
    const { client } = recordingClient((call) =>
      call.stmt.startsWith('select "id"')
        ? { cols: ['id', 'published', 'meta'], rows: [['b1', new Date(0), { isbn: 'x' }]], rowCount: 1 }
        : { cols: ['n'], rows: [[42]], rowCount: 1 },
    );
    const db = drizzle({ client });
    const rows = await db.select({ id: books.id, published: books.published, meta: books.meta }).from(books);
    expect(rows).toEqual([{ id: 'b1', published: new Date(0), meta: { isbn: 'x' } }]);
    const raw = await db.execute(sql`select 42 as n`);
    expect(raw.rows).toEqual([{ n: 42 }]);
    expect(raw.rowCount).toBe(1);
  });

  it('$count reads the count column', async () => {
    const { client, calls } = recordingClient(() => ({ cols: ['count'], rows: [[7]], rowCount: 1 }));
    const db = drizzle({ client });
    expect(await db.$count(books, gt(books.pages, 3))).toBe(7);
    // 0.45 names the column and reads it by name; v1 reads the first cell.
    expect(calls[0]!.stmt).toMatch(
      onLine({ '0.45': /^select count\(\*\) as count from "books" where "books"\."pages" > \$1/, v1: /^select count\(\*\) from "books" where "books"\."pages" > \$1/ }),
    );
    expectCrateSql(calls[0]!.stmt);
  });

  it('prepared statements fill placeholders per execution', async () => {
    const { client, calls } = recordingClient(() => ({ cols: ['id'], rows: [], rowCount: 0 }));
    const db = drizzle({ client });
    const prepared = db.select({ id: books.id }).from(books).where(eq(books.title, sql.placeholder('title'))).prepare('byTitle');
    await prepared.execute({ title: 'a' });
    await prepared.execute({ title: 'b' });
    expect(calls.map((call) => call.args)).toEqual([['a'], ['b']]);
  });

  it('logs through the Drizzle logger', async () => {
    const { client } = recordingClient();
    const logged: [string, unknown[]][] = [];
    const db = drizzle({ client, logger: { logQuery: (query, params) => logged.push([query, params]) } });
    await db.delete(books).where(eq(books.id, 'x'));
    expect(logged).toEqual([['delete from "books" where "books"."id" = $1', ['x']]]);
  });

  it('refresh() issues REFRESH TABLE for the given tables', async () => {
    const { db, calls } = setup();
    await db.refresh(books, authors);
    expect(calls.map((call) => call.stmt)).toEqual(['refresh table "books", "authors"']);
    expectCrateSql(calls[0]!.stmt);
  });

  it('batch() runs statements in order and says which one failed', async () => {
    let n = 0;
    const { client, calls } = recordingClient(() => {
      n += 1;
      if (n === 2) throw new Error('boom');
      return {};
    });
    const db = drizzle({ client });
    await expect(
      db.batch([db.insert(authors).values({ id: 'a', name: 'n' }), db.update(authors).set({ name: 'm' }), db.delete(authors)]),
    ).rejects.toMatchObject({ name: 'BatchError', index: 1, message: /statement 1 failed \(statements 0\.\.0 were applied\)/ });
    expect(calls).toHaveLength(2);
  });

  it('exposes the client as $client', () => {
    const { client } = recordingClient();
    expect(drizzle({ client }).$client).toBe(client);
    expect(drizzle(client).$client).toBe(client);
  });
});
