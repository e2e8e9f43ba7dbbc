/**
 * Views in relational queries v2: `defineRelations` takes views as it takes tables, so `db.query.<view>` loads a
 * crateView's rows and relations from and to it, keyed by the view's columns named in the relation (a view has no
 * primary key; the loader never needs one). Over the protocol server; tests/integration/views.test.ts runs the same
 * against CrateDB.
 */
import { defineRelations, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crateTable, crateView, CrateUnsupportedError, drizzle, text, uuid } from 'drizzle-cratedb';
import { blogTables } from '../../fixtures/blog-tables.js';
import { expectCrateSql } from '../../support/grammar.js';
import { startProtocolServer, type ProtocolServer } from '../../support/protocol-server.js';
import { serveTables } from '../../support/table-server.js';

const tables = blogTables();
const authors = crateView('authors').as((qb) => qb.select({ id: tables.users.id, name: tables.users.name }).from(tables.users));
const shownPosts = crateView('shown_posts').as((qb) =>
  qb.select({ id: tables.posts.id, authorId: tables.posts.authorId, title: tables.posts.title }).from(tables.posts).where(sql`${tables.posts.publishedAt} is not null`),
);
const counted = crateView('counted').as((qb) =>
  qb.select({ authorId: tables.posts.authorId, posts: sql<number>`count(*)`.as('posts') }).from(tables.posts).groupBy(tables.posts.authorId),
);
const relations = defineRelations({ ...tables, authors, shownPosts, counted }, (r) => ({
  authors: {
    posts: r.many.shownPosts({ from: r.authors.id, to: r.shownPosts.authorId }),
    count: r.one.counted({ from: r.authors.id, to: r.counted.authorId }),
  },
  shownPosts: { author: r.one.authors({ from: r.shownPosts.authorId, to: r.authors.id }) },
  users: { shownPosts: r.many.shownPosts({ from: r.users.id, to: r.shownPosts.authorId }) },
}));

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  serveTables(server, {
    users: [
      { id: 1, name: 'ann', invited_by: null, karma: null },
      { id: 2, name: 'bob', invited_by: 1, karma: null },
    ],
    authors: [
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
    ],
    shown_posts: [
      { id: 10, author_id: 1, title: 'first' },
      { id: 11, author_id: 1, title: 'second' },
    ],
    counted: [{ author_id: 1, posts: 2 }],
  });
});

const sent = () => server.requests.filter((request) => request.path === '/_sql').map((request) => ({ stmt: request.stmt!, args: request.json?.args ?? [] }));

describe('views in relational queries (drizzle v1)', () => {
  it('db.query.<view>.findMany() loads the view, with relations to views keyed by the columns the relation names', async () => {
    const db = drizzle({ connection: server.url, relations });
    const rows = await db.query.authors.findMany({ with: { posts: { columns: { title: true } }, count: true } });
    expect(rows).toEqual([
      { id: 1, name: 'ann', posts: [{ title: 'first' }, { title: 'second' }], count: { authorId: 1, posts: 2 } },
      { id: 2, name: 'bob', posts: [], count: null },
    ]);
    const statements = sent();
    expect(statements.map(({ stmt }) => stmt)).toEqual([
      'select "authors"."id", "authors"."name" from "authors"',
      'select "shown_posts"."title", "shown_posts"."author_id" from "shown_posts" where "shown_posts"."author_id" = any($1)',
      // The expression field is read as the view's column, not as the view's count(*).
      'select "counted"."author_id", "counted"."posts" as "posts" from "counted" where "counted"."author_id" = any($1)',
    ]);
    expect(statements[1]!.args).toEqual([[1, 2]]);
    for (const { stmt } of statements) expectCrateSql(stmt);
  });

  it('a table relates to a view, and a view back to a view', async () => {
    const db = drizzle({ connection: server.url, relations });
    const users = await db.query.users.findMany({ columns: { name: true }, with: { shownPosts: { columns: { id: true }, with: { author: { columns: { name: true } } } } } });
    expect(users).toEqual([
      { name: 'ann', shownPosts: [{ id: 10, author: { name: 'ann' } }, { id: 11, author: { name: 'ann' } }] },
      { name: 'bob', shownPosts: [] },
    ]);
    for (const { stmt } of sent()) expectCrateSql(stmt);
    const first = await db.query.shownPosts.findFirst({ where: { id: 11 } });
    expect(first).toEqual({ id: 11, authorId: 1, title: 'second' });
    expect(sent().at(-1)!.stmt).toBe('select "shown_posts"."id", "shown_posts"."author_id", "shown_posts"."title" from "shown_posts" where "shown_posts"."id" = $1 limit $2');
    expectCrateSql(sent().at(-1)!.stmt);
  });

  it('findMany on a view renders filters and order by on its columns', () => {
    const db = drizzle({ connection: server.url, relations });
    const query = db.query.authors.findMany({ where: { name: 'ann' }, orderBy: { id: 'desc' }, limit: 5 }).toSQL();
    expect(query.sql).toBe('select "authors"."id", "authors"."name" from "authors" where "authors"."name" = $1 order by "authors"."id" desc limit $2');
    expectCrateSql(query.sql);
  });

  it('a view field without a column of its own (a nested object) is refused before sending', () => {
    const nested = crateView('nested_view').as((qb) => qb.select({ id: tables.users.id, who: { name: tables.users.name } }).from(tables.users));
    const db = drizzle({ connection: server.url, relations: defineRelations({ nested }) });
    const query = (db.query as unknown as Record<string, { findMany(): { toSQL(): unknown } }>).nested!.findMany();
    expect(() => query.toSQL()).toThrow(CrateUnsupportedError);
    expect(sent()).toEqual([]);
  });
  it('parent keys of a UUID column go out in the order of the UUID index, which CrateDB needs for = any(?)', async () => {
    const things = crateTable('things', { id: uuid().primaryKey(), name: text() });
    const named = crateView('named').as((qb) => qb.select({ id: things.id, name: things.name }).from(things));
    const db = drizzle({ connection: server.url, relations: defineRelations({ things, named }, (r) => ({ named: { thing: r.one.things({ from: r.named.id, to: r.things.id }) } })) });
    // Text order puts `first` before `second`; the index orders each 64-bit half by its bytes reversed, so `second` first.
    const first = '00000000-0000-0001-0000-000000000000';
    const second = '00000000-0000-0100-0000-000000000000';
    serveTables(server, { named: [{ id: first, name: 'a' }, { id: second, name: 'b' }], things: [{ id: first, name: 'a' }, { id: second, name: 'b' }] });
    const rows = await db.query.named.findMany({ with: { thing: { columns: { name: true } } } });
    expect(rows).toEqual([{ id: first, name: 'a', thing: { name: 'a' } }, { id: second, name: 'b', thing: { name: 'b' } }]);
    const [, load] = sent();
    expect(load!.stmt).toBe('select "things"."name", "things"."id" from "things" where "things"."id" = any($1)');
    expectCrateSql(load!.stmt);
    expect(load!.args).toEqual([[second, first]]);
  });
});
