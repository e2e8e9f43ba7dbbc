/**
 * The relational query strategy (`db.query.*.findMany({ with })`) over the protocol server: one statement per
 * relation whatever the number of rows, parent keys as parameters, chunked key sets, and the shapes drizzle-orm
 * documents. What CrateDB itself computes (windowed limits, extras, user conditions) is checked against a real server
 * in tests/integration/relational.test.ts.
 */
import { and, eq, relations, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrateArgumentError, crateSchema, crateTable, drizzle, integer, text, type RelationalQueryOptions } from 'drizzle-cratedb';
import { blogSchema } from './blog.js';
import { expectCrateSql } from '../../support/grammar.js';
import { startProtocolServer, type ProtocolServer } from '../../support/protocol-server.js';
import { serveTables, type Tables } from '../../support/table-server.js';

const schema = blogSchema();

interface Data {
  users: { id: number; name: string; invited_by: number | null; karma: null }[];
  profiles: { id: number; user_id: number; bio: string; settings: { theme: string } }[];
  posts: { id: number; author_id: number; title: string; published_at: null }[];
  comments: { id: number; post_id: number; author_id: number | null; body: string }[];
  tags: { id: number; label: string }[];
  posts_to_tags: { post_id: number; tag_id: number }[];
}

/** Users 1..n; every second one has a profile; user i wrote i % 4 posts; each post has two comments and one tag. */
function blogData(n: number): Data {
  const data: Data = { users: [], profiles: [], posts: [], comments: [], tags: [], posts_to_tags: [] };
  for (let tag = 1; tag <= 3; tag++) data.tags.push({ id: tag, label: `tag ${tag}` });
  for (let i = 1; i <= n; i++) {
    data.users.push({ id: i, name: `user ${i}`, invited_by: i === 1 ? null : 1 + (i % 3), karma: null });
    if (i % 2 === 0) data.profiles.push({ id: 1000 + i, user_id: i, bio: `bio ${i}`, settings: { theme: i % 4 ? 'dark' : 'light' } });
    for (let j = 0; j < i % 4; j++) {
      const post = i * 10 + j;
      data.posts.push({ id: post, author_id: i, title: `post ${post}`, published_at: null });
      data.posts_to_tags.push({ post_id: post, tag_id: 1 + (post % 3) });
      for (let k = 0; k < 2; k++) {
        data.comments.push({ id: post * 10 + k, post_id: post, author_id: k === 1 ? null : 1 + ((post + k) % n), body: `comment ${k}` });
      }
    }
  }
  return data;
}

// What drizzle-orm's result objects look like for these rows, written out by hand from the data.
const user = (row: Data['users'][number]) => ({ id: row.id, name: row.name, invitedBy: row.invited_by, karma: null });
const post = (row: Data['posts'][number]) => ({ id: row.id, authorId: row.author_id, title: row.title, publishedAt: null });
const comment = (row: Data['comments'][number]) => ({ id: row.id, postId: row.post_id, authorId: row.author_id, body: row.body });
const postsOf = (data: Data, userId: number) => data.posts.filter((p) => p.author_id === userId);
const commentsOf = (data: Data, postId: number) => data.comments.filter((c) => c.post_id === postId);
const userById = (data: Data, id: number | null) => {
  const found = data.users.find((u) => u.id === id);
  return found ? user(found) : null;
};

let server: ProtocolServer;
let data: Data;

beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function serve(next: Data) {
  data = next;
  serveTables(server, next as unknown as Tables);
}

function connect(relationalQueries?: RelationalQueryOptions) {
  return drizzle({ connection: server.url, schema, relationalQueries });
}

function sent() {
  return server.requests.filter((request) => request.path === '/_sql').map((request) => ({ stmt: request.stmt!, args: request.json?.args ?? [] }));
}

describe('round trips grow with the depth of `with`, not with the rows', () => {
  const depths = [
    ['depth 1', { posts: true }, 2],
    ['depth 2', { posts: { with: { comments: true } } }, 3],
    ['depth 3', { posts: { with: { comments: { with: { author: true } } } } }, 4],
  ] as const;

  for (const users of [6, 60]) {
    it.each(depths)(`%s over ${users} users`, async (_name, withConfig, statements) => {
      serve(blogData(users));
      const db = connect();
      const result = await db.query.users.findMany({ with: withConfig });
      expect(sent()).toHaveLength(statements);
      for (const { stmt } of sent()) expectCrateSql(stmt);

      expect(result).toEqual(
        data.users.map((u) => ({
          ...user(u),
          posts: postsOf(data, u.id).map((p) => ({
            ...post(p),
            ...(statements > 2 && {
              comments: commentsOf(data, p.id).map((c) => ({ ...comment(c), ...(statements > 3 && { author: userById(data, c.author_id) }) })),
            }),
          })),
        })),
      );
    });
  }

  it('relations side by side are loaded at the same depth, one statement each', async () => {
    serve(blogData(20));
    const result = await connect().query.users.findMany({ with: { profile: true, invitees: { columns: { id: true } }, inviter: true } });
    expect(sent()).toHaveLength(4);
    const third = result.find((u) => u.id === 3)!;
    expect(third.profile).toBeNull();
    expect(result.find((u) => u.id === 4)!.profile).toEqual({ id: 1004, userId: 4, bio: 'bio 4', settings: { theme: 'light' } });
    expect(third.inviter).toEqual(user(data.users[0]!));
    expect(third.invitees).toEqual(data.users.filter((u) => u.invited_by === 3).map((u) => ({ id: u.id })));
    expect(result.find((u) => u.id === 1)!.inviter).toBeNull();
  });

  it('a level without rows ends the loading: no statement for the relations below it', async () => {
    serve({ ...blogData(6), posts: [] });
    const result = await connect().query.users.findMany({ with: { posts: { with: { comments: true } } } });
    expect(sent()).toHaveLength(2);
    expect(result.every((u) => Array.isArray(u.posts) && u.posts.length === 0)).toBe(true);
  });
});

describe('parent keys', () => {
  it('go out as one array parameter of distinct values, never inlined into the statement', async () => {
    serve(blogData(20));
    await connect().query.posts.findMany({ with: { author: true } });
    const [, authors] = sent();
    expect(authors!.stmt).toBe('select "users"."id", "users"."name", "users"."invited_by", "users"."karma" from "users" where "users"."id" = any($1)');
    const authorIds = [...new Set(data.posts.map((p) => p.author_id))];
    expect(authors!.args).toEqual([authorIds]);
  });

  it('null keys match nothing and are not sent', async () => {
    serve(blogData(8));
    const result = await connect().query.comments.findMany({ with: { author: { columns: { name: true } } } });
    const [, authors] = sent();
    expect((authors!.args[0] as unknown[]).includes(null)).toBe(false);
    const anonymous = result.filter((c) => c.authorId === null);
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous.every((c) => c.author === null)).toBe(true);
    expect(result.filter((c) => c.authorId !== null).every((c) => c.author?.name === `user ${c.authorId}`)).toBe(true);
  });

  it('are split over several statements beyond keysPerRequest, with the same result', async () => {
    serve(blogData(30));
    const whole = await connect().query.users.findMany({ with: { posts: true } });
    server.requests.length = 0;
    const chunked = await connect({ keysPerRequest: 7 }).query.users.findMany({ with: { posts: true } });
    const statements = sent();
    expect(statements).toHaveLength(1 + Math.ceil(30 / 7));
    const keys = statements.slice(1).map(({ args }) => args[0] as number[]);
    expect(keys.every((chunk) => chunk.length <= 7)).toBe(true);
    expect(keys.flat().sort((a, b) => a - b)).toEqual(data.users.map((u) => u.id));
    expect(chunked).toEqual(whole);
  });

  it('a row shared by several parents is a separate object in each', async () => {
    serve(blogData(6));
    const result = await connect().query.posts.findMany({ with: { author: true } });
    const [first, second] = result.filter((p) => p.authorId === 3);
    expect(first!.author).toEqual(second!.author);
    expect(first!.author).not.toBe(second!.author);
    first!.author.name = 'changed';
    expect(second!.author.name).toBe('user 3');
  });
});

describe('result shapes', () => {
  it('columns include or exclude fields; key columns the relation needs are fetched but not returned', async () => {
    serve(blogData(10));
    const result = await connect().query.users.findMany({
      columns: { name: true },
      with: { posts: { columns: { title: true } } },
    });
    expect(sent()[0]!.stmt).toBe('select "users"."name", "users"."id" from "users"');
    expect(result).toEqual(data.users.map((u) => ({ name: u.name, posts: postsOf(data, u.id).map((p) => ({ title: p.title })) })));

    const excluded = await connect().query.users.findMany({ columns: { karma: false, invitedBy: false } });
    expect(excluded).toEqual(data.users.map((u) => ({ id: u.id, name: u.name })));
  });

  it('many-to-many through the junction table', async () => {
    serve(blogData(8));
    const result = await connect().query.posts.findMany({
      columns: { id: true },
      with: { postsToTags: { columns: {}, with: { tag: { columns: { label: true } } } } },
    });
    expect(sent()).toHaveLength(3);
    expect(result).toEqual(data.posts.map((p) => ({ id: p.id, postsToTags: [{ tag: { label: `tag ${1 + (p.id % 3)}` } }] })));
  });

  it('findFirst gives the first row or undefined', async () => {
    serve(blogData(5));
    const db = connect();
    const first = await db.query.users.findFirst({ orderBy: (u, { desc }) => desc(u.id), with: { posts: true } });
    expect(first).toEqual({ ...user(data.users[4]!), posts: postsOf(data, 5).map(post) });
    expect(sent()[0]!.args).toEqual([1]);
    serve({ ...blogData(5), users: [] });
    expect(await db.query.users.findFirst({ with: { posts: true } })).toBeUndefined();
  });

  it('per-parent limit cut on the client keeps each parent\'s first rows in order', async () => {
    serve(blogData(12));
    const result = await connect({ perParentLimit: 'client' }).query.users.findMany({
      with: { posts: { orderBy: (p, { desc }) => desc(p.id), limit: 2 } },
    });
    expect(sent()[1]!.stmt).toMatch(/order by "posts"."id" desc$/);
    expect(result).toEqual(
      data.users.map((u) => ({
        ...user(u),
        posts: postsOf(data, u.id)
          .sort((a, b) => b.id - a.id)
          .slice(0, 2)
          .map(post),
      })),
    );
  });
});

describe('naming', () => {
  it('casing and tables in a schema of their own apply to every statement', () => {
    const shop = crateSchema('shop');
    const customers = shop.table('customers', { customerId: integer().primaryKey(), fullName: text() });
    const orders = shop.table('orders', { orderId: integer().primaryKey(), customerId: integer().notNull() });
    const customersRelations = relations(customers, ({ many }) => ({ orders: many(orders) }));
    const ordersRelations = relations(orders, ({ one }) => ({
      customer: one(customers, { fields: [orders.customerId], references: [customers.customerId] }),
    }));
    const db = drizzle({ connection: server.url, casing: 'snake_case', schema: { customers, orders, customersRelations, ordersRelations } });
    const plan = (db.query.customers.findMany({ columns: { fullName: true }, with: { orders: { limit: 2 } } }) as unknown as {
      toSQLPlan(): { query: { sql: string } }[];
    }).toSQLPlan();
    expect(plan[0]!.query.sql).toBe('select "shop"."customers"."full_name", "shop"."customers"."customer_id" from "shop"."customers"');
    expect(plan[1]!.query.sql).toContain('partition by "shop"."orders"."customer_id"');
    expect(plan[1]!.query.sql).toContain('from "shop"."orders" where "shop"."orders"."customer_id" = any($1)');
    for (const { query } of plan) expectCrateSql(query.sql);
  });
});

describe('keys of several columns', () => {
  const orders = crateTable('orders', { region: text().notNull(), number: integer().notNull(), customer: text() });
  const lines = crateTable('order_lines', { region: text().notNull(), orderNumber: integer('order_number').notNull(), item: text() });
  const ordersRelations = relations(orders, ({ many }) => ({ lines: many(lines) }));
  const linesRelations = relations(lines, ({ one }) => ({
    order: one(orders, { fields: [lines.region, lines.orderNumber], references: [orders.region, orders.number] }),
  }));

  it('send each column\'s values and keep only the combinations a parent has', async () => {
    serveTables(server, {
      orders: [
        { region: 'eu', number: 1, customer: 'a' },
        { region: 'us', number: 2, customer: 'b' },
      ],
      order_lines: [
        { region: 'eu', order_number: 1, item: 'x' },
        { region: 'eu', order_number: 2, item: 'not eu-2: no such order' },
        { region: 'us', order_number: 1, item: 'not us-1: no such order' },
        { region: 'us', order_number: 2, item: 'y' },
      ],
    });
    const db = drizzle({ connection: server.url, schema: { orders, lines, ordersRelations, linesRelations } });
    const result = await db.query.orders.findMany({ columns: { customer: true }, with: { lines: { columns: { item: true } } } });
    const [, statement] = sent();
    expect(statement!.stmt).toMatch(/where \("order_lines"."region" = any\(\$1\) and "order_lines"."order_number" = any\(\$2\)\)$/);
    expect(statement!.args).toEqual([
      ['eu', 'us'],
      [1, 2],
    ]);
    expect(result).toEqual([
      { customer: 'a', lines: [{ item: 'x' }] },
      { customer: 'b', lines: [{ item: 'y' }] },
    ]);
  });
});

describe('prepared relational queries', () => {
  it('take placeholders at the root and in relations, and run again with other values', async () => {
    serve(blogData(12));
    const query = connect({ perParentLimit: 'client' })
      .query.users.findMany({
        limit: sql.placeholder('users'),
        with: { posts: { orderBy: (p, { asc }) => asc(p.id), limit: sql.placeholder('posts') } },
      })
      .prepare('users_with_posts');
    const expected = (users: number, posts: number) =>
      data.users.slice(0, users).map((u) => ({ ...user(u), posts: postsOf(data, u.id).slice(0, posts).map(post) }));
    expect(await query.execute({ users: 4, posts: 1 })).toEqual(expected(4, 1));
    expect(await query.execute({ users: 7, posts: 2 })).toEqual(expected(7, 2));
    await expect(query.execute({ users: 7, posts: -1 })).rejects.toThrow('users.posts: limit must be a whole number of rows, 0 or more (got -1)');
  });

  it('run in db.batch()', async () => {
    serve(blogData(4));
    const db = connect();
    const [users, tags] = await db.batch([
      db.query.users.findMany({ columns: { id: true }, with: { posts: { columns: { id: true } } } }),
      db.query.tags.findMany({ with: { postsToTags: { columns: { postId: true } } } }),
    ] as const);
    expect(users).toEqual(data.users.map((u) => ({ id: u.id, posts: postsOf(data, u.id).map((p) => ({ id: p.id })) })));
    expect(tags).toEqual(data.tags.map((t) => ({ ...t, postsToTags: data.posts_to_tags.filter((pt) => pt.tag_id === t.id).map((pt) => ({ postId: pt.post_id })) })));
    expect(sent()).toHaveLength(4);
  });
});

describe('statements CrateDB parses', () => {
  it('every statement of a deep query, windowed limits and placeholders included', () => {
    const db = connect();
    const query = db.query.users.findMany({
      where: (u, { gt }) => gt(u.id, sql.placeholder('after')),
      orderBy: (u, { asc }) => [asc(u.name)],
      limit: 10,
      offset: 5,
      extras: (u, { sql }) => ({ shout: sql<string>`upper(${u.name})`.as('shout') }),
      with: {
        profile: { columns: { bio: true } },
        posts: {
          where: (p, { like }) => like(p.title, 'post%'),
          orderBy: (p, { desc }) => desc(p.publishedAt),
          limit: 3,
          with: { comments: { limit: 2, with: { author: true } }, postsToTags: { with: { tag: true } } },
        },
      },
    }) as unknown as { toSQLPlan(): { path: string; query: { sql: string } }[] };
    const plan = query.toSQLPlan();
    expect(plan.map(({ path }) => path)).toEqual([
      'users',
      'users.profile',
      'users.posts',
      'users.posts.comments',
      'users.posts.comments.author',
      'users.posts.postsToTags',
      'users.posts.postsToTags.tag',
    ]);
    for (const { query: statement } of plan) expectCrateSql(statement.sql);
    expect(plan[2]!.query.sql).toBe(
      'select "c0", "c1", "c2", "c3" from (select "posts"."id" as "c0", "posts"."author_id" as "c1", "posts"."title" as "c2", ' +
        '"posts"."published_at" as "c3", row_number() over (partition by "posts"."author_id" order by "posts"."published_at" desc) as "__rn" ' +
        'from "posts" where ("posts"."author_id" = any($1) and "posts"."title" like $2)) as "__r" where "__rn" <= $3 order by "__rn"',
    );
    expect(sent()).toHaveLength(0);
  });
});

describe('mistakes are reported before anything is sent', () => {
  it('a relation the table does not have', () => {
    const db = connect();
    expect(() => db.query.users.findMany({ with: { post: true } as never }).toSQL()).toThrow(
      new CrateArgumentError('users: "post" in `with` is not a relation of table "users" (its relations: profile, posts, comments, inviter, invitees)'),
    );
    expect(sent()).toHaveLength(0);
  });

  it('nothing selected at all', () => {
    const db = connect();
    expect(() => db.query.tags.findMany({ columns: {} }).toSQL()).toThrow(/No fields selected for table "tags"/);
  });

  it('without a schema there are no relational queries', () => {
    const db = drizzle({ connection: server.url });
    expect(db.query).toEqual({});
  });

  it('conditions at the root are ordinary drizzle SQL', () => {
    const { sql: text, params } = connect()
      .query.users.findMany({ where: and(eq(schema.users.name, 'x'), eq(schema.users.id, 3)) })
      .toSQL();
    expect(text).toBe('select "users"."id", "users"."name", "users"."invited_by", "users"."karma" from "users" where ("users"."name" = $1 and "users"."id" = $2)');
    expect(params).toEqual(['x', 3]);
  });
});
