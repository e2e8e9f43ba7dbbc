/**
 * Relational queries v2 over the protocol server: one statement per relation whatever the number of rows, parent keys
 * as one array parameter, chunked key sets, every statement in CrateDB's grammar, and mistakes reported before
 * anything is sent. What CrateDB computes (filters, ordering, windows, through-joins) is checked against a real
 * server in tests/lines/drizzle-v1/relational.integration.test.ts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrateArgumentError, CrateUnsupportedError, drizzle, type RelationalQueryOptions } from 'drizzle-cratedb';
import { blogSchema } from './blog.js';
import { expectCrateSql } from '../../support/grammar.js';
import { startProtocolServer, type ProtocolServer } from '../../support/protocol-server.js';
import { serveTables, type Tables } from '../../support/table-server.js';

const { relations } = blogSchema();

interface Data {
  users: { id: number; name: string; invited_by: number | null; karma: null }[];
  posts: { id: number; author_id: number; title: string; published_at: null }[];
  comments: { id: number; post_id: number; author_id: number | null; body: string }[];
}

/** Users 1..n; user i wrote i % 4 posts; each post has two comments, the second without an author. */
function blogData(n: number): Data {
  const data: Data = { users: [], posts: [], comments: [] };
  for (let i = 1; i <= n; i++) {
    data.users.push({ id: i, name: `user ${i}`, invited_by: i === 1 ? null : 1 + (i % 3), karma: null });
    for (let j = 0; j < i % 4; j++) {
      const post = i * 10 + j;
      data.posts.push({ id: post, author_id: i, title: `post ${post}`, published_at: null });
      for (let k = 0; k < 2; k++) data.comments.push({ id: post * 10 + k, post_id: post, author_id: k === 1 ? null : 1 + ((post + k) % n), body: `comment ${k}` });
    }
  }
  return data;
}

const user = (row: Data['users'][number]) => ({ id: row.id, name: row.name, invitedBy: row.invited_by, karma: null });
const post = (row: Data['posts'][number]) => ({ id: row.id, authorId: row.author_id, title: row.title, publishedAt: null });
const comment = (row: Data['comments'][number]) => ({ id: row.id, postId: row.post_id, authorId: row.author_id, body: row.body });

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
  return drizzle({ connection: server.url, relations, relationalQueries });
}

function sent() {
  return server.requests.filter((request) => request.path === '/_sql').map((request) => ({ stmt: request.stmt!, args: request.json?.args ?? [] }));
}

describe('round trips grow with the depth of `with`, not with the rows', () => {
  for (const count of [6, 60]) {
    it(`depth 1, 2 and 3 over ${count} users take 2, 3 and 4 statements`, async () => {
      serve(blogData(count));
      const db = connect();
      const depth1 = await db.query.users.findMany({ with: { posts: true } });
      expect(sent()).toHaveLength(2);
      expect(depth1).toEqual(data.users.map((u) => ({ ...user(u), posts: data.posts.filter((p) => p.author_id === u.id).map(post) })));

      server.requests.length = 0;
      const depth3 = await db.query.users.findMany({ with: { posts: { with: { comments: { with: { author: true } } } } } });
      expect(sent()).toHaveLength(4);
      for (const { stmt } of sent()) expectCrateSql(stmt);
      const byId = new Map(data.users.map((u) => [u.id, u]));
      expect(depth3).toEqual(
        data.users.map((u) => ({
          ...user(u),
          posts: data.posts
            .filter((p) => p.author_id === u.id)
            .map((p) => ({
              ...post(p),
              comments: data.comments
                .filter((c) => c.post_id === p.id)
                .map((c) => ({ ...comment(c), author: c.author_id === null ? null : user(byId.get(c.author_id)!) })),
            })),
        })),
      );
    });
  }

  it('a level without rows ends the loading', async () => {
    serve({ ...blogData(6), posts: [] });
    const result = await connect().query.users.findMany({ with: { posts: { with: { comments: true } } } });
    expect(sent()).toHaveLength(2);
    expect(result.every((u) => u.posts.length === 0)).toBe(true);
  });
});

describe('parent keys', () => {
  it('go out as one array parameter of distinct, non-null values, never inlined', async () => {
    serve(blogData(20));
    await connect().query.comments.findMany({ with: { author: { columns: { name: true } } } });
    const [, authors] = sent();
    expect(authors!.stmt).toBe('select "users"."name", "users"."id" from "users" where "users"."id" = any($1)');
    const ids = [...new Set(data.comments.map((c) => c.author_id).filter((id) => id !== null))];
    expect(authors!.args).toEqual([ids]);
  });

  it('are split over several statements beyond keysPerRequest, with the same result', async () => {
    serve(blogData(30));
    const whole = await connect().query.users.findMany({ with: { posts: true } });
    server.requests.length = 0;
    const chunked = await connect({ keysPerRequest: 7 }).query.users.findMany({ with: { posts: true } });
    const statements = sent();
    expect(statements).toHaveLength(1 + Math.ceil(30 / 7));
    expect(statements.slice(1).every(({ args }) => (args[0] as number[]).length <= 7)).toBe(true);
    expect(chunked).toEqual(whole);
  });

  it('a row shared by several parents is a separate object in each', async () => {
    serve(blogData(6));
    const result = await connect().query.posts.findMany({ with: { author: true } });
    const [first, second] = result.filter((p) => p.authorId === 3);
    expect(first!.author).toEqual(second!.author);
    expect(first!.author).not.toBe(second!.author);
  });
});

describe('statements', () => {
  it('every statement of a plan with filters, ordering, windows, junctions and reversed filters is CrateDB SQL', () => {
    const query = connect().query.users.findMany({
      where: { posts: { title: { like: 'x%' } }, NOT: { id: 3 }, RAW: (t) => sql`${t.id} > ${0}` },
      orderBy: { posts: 'desc(count)', id: 'asc' },
      limit: 3,
      comment: { route: '/users' },
      extras: { shout: (t, { sql }) => sql<string>`upper(${t.name})` },
      with: {
        posts: { limit: 2, offset: 1, orderBy: { author: { name: 'asc' } }, with: { tags: { where: { label: { ilike: 't%' } } }, publishedAuthor: true } },
        profile: { columns: { bio: true } },
        invitees: { where: { OR: [{ name: 'a' }, { karma: { isNull: true } }] } },
      },
    }) as unknown as { toSQLPlan(): { path: string; query: { sql: string } }[] };
    const plan = query.toSQLPlan();
    expect(plan.map((step) => step.path)).toEqual(['users', 'users.posts', 'users.posts.tags', 'users.posts.publishedAuthor', 'users.profile', 'users.invitees']);
    for (const { query: statement } of plan) expectCrateSql(statement.sql);
    expect(plan[1]!.query.sql).toMatch(/row_number\(\) over \(partition by "posts"\."author_id" order by/);
    expect(plan[2]!.query.sql).toMatch(/from "tags" inner join "posts_to_tags" on "posts_to_tags"\."tag_id" = "tags"\."id" where \(\("posts_to_tags"\."post_id" = any\(\$1\)\) and \("tags"\."label" ilike \$2\)\)/);
    // The reversed filter of publishedAuthor is a column of the parent statement, not a condition on users.
    expect(plan[1]!.query.sql).toMatch(/coalesce\(\(\("posts"\."published_at" is not null\)\), false\) as "c\d+"/);
    expect(plan[3]!.query.sql).not.toMatch(/published_at/);
    expect(plan[0]!.query.sql).toMatch(/\/\*route='%2Fusers'\*\/$/);
  });

  it("a reversed filter is evaluated in the parent's statement", () => {
    const db = connect();
    const plan = (db.query.posts.findMany({ columns: { id: true }, with: { publishedAuthor: { columns: { id: true } } } }) as unknown as {
      toSQLPlan(): { query: { sql: string } }[];
    }).toSQLPlan();
    expect(plan[0]!.query.sql).toBe(
      'select "posts"."id", "posts"."author_id", coalesce((("posts"."published_at" is not null)), false) as "__parent_filter_publishedAuthor" from "posts"',
    );
  });
});

describe('mistakes are reported before anything is sent', () => {
  it('an unknown relation names the path and the relations there are', () => {
    expect(() => connect().query.users.findMany({ with: { postz: true } as never }).toSQL()).toThrow(
      new CrateArgumentError('users: "postz" in `with` is not a relation of table "users" (its relations: profile, posts, publishedPosts, comments, inviter, invitees)'),
    );
    expect(() => connect().query.users.findMany({ columns: { id: false, name: false, invitedBy: false, karma: false } }).toSQL()).toThrow(/nothing is selected/);
    expect(() => connect().query.users.findMany({ withCache: true }).toSQL()).toThrow(CrateUnsupportedError);
    expect(sent()).toHaveLength(0);
  });

  it('undefined in a filter is refused, as drizzle v1 does', () => {
    expect(() => connect().query.users.findMany({ where: { id: undefined } }).toSQL()).toThrow(/undefined/);
  });
});
