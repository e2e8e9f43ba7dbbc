/**
 * Relational queries v2 (`defineRelations`, `db.query.<t>.findMany()`) on a real CrateDB. Every expected result is
 * assembled from hand-written SQL sent with the plain client, one query per parent: the slow, obvious way the
 * relational loader replaces. Round trips are counted: 1 + one per relation, whatever the number of rows.
 */
import { getTableName, sql, type Table } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateUnsupportedError, createTables, drizzle, dropTables, type CrateClient, type RelationalQueryOptions } from 'drizzle-cratedb';
import { blogSchema } from './blog.js';
import { describeCrate, testClient, uniqueName } from '../../support/crate.js';

describeCrate('relational queries v2 on a real CrateDB', () => {
  const { tables, relations } = blogSchema(`${uniqueName('rq2')}_`);
  const { users, profiles, posts, comments, tags, postsToTags } = tables;
  const all = [users, profiles, posts, comments, tags, postsToTags];
  const name = (table: Table) => `"${getTableName(table)}"`;
  let client: CrateClient;
  let sent: string[] = [];
  const connect = (relationalQueries?: RelationalQueryOptions) => drizzle({ client, relations, relationalQueries });
  /** Runs a query and returns its result with the statements it sent. */
  async function counted<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    sent = [];
    const result = await run();
    return { result, statements: sent };
  }

  const USERS = 40;
  const HUGE = 9_007_199_254_740_993n; // 2^53 + 1: survives only as a bigint

  beforeAll(async () => {
    client = testClient();
    const plain = client.sql.bind(client);
    client.sql = ((statement: string, ...rest: unknown[]) => {
      sent.push(statement);
      return (plain as (...args: unknown[]) => unknown)(statement, ...rest);
    }) as CrateClient['sql'];
    const db = connect();
    await createTables(db, all);
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
    const userRows = Array.from({ length: USERS }, (_, index) => {
      const id = index + 1;
      return { id, name: `user ${id}`, invitedBy: id === 1 ? null : ((id * 7) % (id - 1)) + 1, karma: id % 3 === 0 ? HUGE + BigInt(id) : null };
    });
    const profileRows = userRows
      .filter((u) => u.id % 2 === 0)
      .map((u) => ({ id: 1000 + u.id, userId: u.id, bio: `bio ${u.id}`, settings: { theme: u.id % 4 ? 'dark' : 'light' } }));
    const postRows = userRows.flatMap((u) =>
      Array.from({ length: u.id % 5 }, (_, j) => ({ id: u.id * 10 + j, authorId: u.id, title: `post ${u.id}-${j}`, publishedAt: j === 3 ? null : day((u.id * j) % 5) })),
    );
    const commentRows = postRows.flatMap((p) =>
      Array.from({ length: p.id % 4 }, (_, k) => ({ id: p.id * 10 + k, postId: p.id, authorId: k === 2 ? null : ((p.id + k) % USERS) + 1, body: `comment ${k}` })),
    );
    const tagRows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, label: `tag ${i + 1}` }));
    const links = postRows.flatMap((p) => [{ postId: p.id, tagId: (p.id % 5) + 1 }, ...(p.id % 2 === 0 ? [{ postId: p.id, tagId: ((p.id + 2) % 5) + 1 }] : [])]);
    await db.bulkInsert(users, userRows);
    await db.bulkInsert(profiles, profileRows);
    await db.bulkInsert(posts, postRows);
    await db.bulkInsert(comments, commentRows);
    await db.bulkInsert(tags, tagRows);
    await db.bulkInsert(postsToTags, links);
    await db.refresh(...all);
  });

  afterAll(async () => {
    if (client) {
      await dropTables(drizzle({ client }), all, { ifExists: true });
      await client.close();
    }
  });

  // Hand-written SQL, and the values as drizzle maps them.
  async function rows(statement: string, args: unknown[] = []): Promise<Record<string, unknown>[]> {
    const result = await client.sql(statement, args);
    return result.rows.map((row) => Object.fromEntries(result.cols.map((col, i) => [col, row[i]])));
  }
  const asUser = (r: Record<string, unknown>) => ({
    id: r['id'],
    name: r['name'],
    invitedBy: r['invited_by'],
    karma: r['karma'] === null ? null : BigInt(r['karma'] as bigint),
  });
  const asPost = (r: Record<string, unknown>) => ({
    id: r['id'],
    authorId: r['author_id'],
    title: r['title'],
    publishedAt: r['published_at'] === null ? null : new Date(r['published_at'] as number),
  });
  const asComment = (r: Record<string, unknown>) => ({ id: r['id'], postId: r['post_id'], authorId: r['author_id'], body: r['body'] });
  const USER_COLUMNS = 'id, name, invited_by, karma';
  const POST_COLUMNS = 'id, author_id, title, published_at';

  it('three levels in 1 + 3 statements, as the per-parent SQL has them', async () => {
    const { result, statements } = await counted(() =>
      connect().query.users.findMany({
        orderBy: { id: 'asc' },
        with: { posts: { orderBy: { id: 'asc' }, with: { comments: { orderBy: { id: 'asc' }, with: { author: true } } } } },
      }),
    );
    expect(statements).toHaveLength(4);
    const expected = [];
    for (const u of await rows(`select ${USER_COLUMNS} from ${name(users)} order by id`)) {
      const userPosts = [];
      for (const p of await rows(`select ${POST_COLUMNS} from ${name(posts)} where author_id = ? order by id`, [u['id']])) {
        const postComments = [];
        for (const c of await rows(`select id, post_id, author_id, body from ${name(comments)} where post_id = ? order by id`, [p['id']])) {
          const [author] = c['author_id'] === null ? [] : await rows(`select ${USER_COLUMNS} from ${name(users)} where id = ?`, [c['author_id']]);
          postComments.push({ ...asComment(c), author: author ? asUser(author) : null });
        }
        userPosts.push({ ...asPost(p), comments: postComments });
      }
      expected.push({ ...asUser(u), posts: userPosts });
    }
    expect(result).toEqual(expected);
    expect(result.some((u) => typeof u.karma === 'bigint' && u.karma > HUGE)).toBe(true);
  });

  it('object where: column operators, AND, OR, NOT and RAW', async () => {
    const result = await connect().query.users.findMany({
      columns: { id: true },
      where: {
        id: { gt: 5, lte: 30 },
        OR: [{ name: { like: 'user 1%' } }, { invitedBy: { isNull: true } }, { RAW: (t) => sql`${t.id} % 7 = 0` }],
        NOT: { id: 13 },
      },
      orderBy: { id: 'asc' },
    });
    const expected = await rows(
      `select id from ${name(users)} where id > 5 and id <= 30 and (name like 'user 1%' or invited_by is null or id % 7 = 0) and not (id = 13) order by id`,
    );
    expect(result).toEqual(expected);
    expect(result.length).toBeGreaterThan(3);
  });

  it('filters on relations run as EXISTS on CrateDB: some, none, and a condition on the related rows', async () => {
    const db = connect();
    const withPosts = await db.query.users.findMany({ columns: { id: true }, where: { posts: true }, orderBy: { id: 'asc' } });
    const withoutPosts = await db.query.users.findMany({ columns: { id: true }, where: { posts: false }, orderBy: { id: 'asc' } });
    const withSecondPost = await db.query.users.findMany({ columns: { id: true }, where: { posts: { title: { like: '%-2' } } }, orderBy: { id: 'asc' } });
    const postsTaggedOne = await db.query.posts.findMany({ columns: { id: true }, where: { tags: { label: 'tag 1' } }, orderBy: { id: 'asc' } });
    expect(withPosts).toEqual(await rows(`select id from ${name(users)} u where exists (select 1 from ${name(posts)} p where p.author_id = u.id) order by id`));
    expect(withoutPosts).toEqual(await rows(`select id from ${name(users)} u where not exists (select 1 from ${name(posts)} p where p.author_id = u.id) order by id`));
    expect(withSecondPost).toEqual(
      await rows(`select id from ${name(users)} u where exists (select 1 from ${name(posts)} p where p.author_id = u.id and p.title like '%-2') order by id`),
    );
    expect(postsTaggedOne).toEqual(
      await rows(
        `select id from ${name(posts)} p where exists (select 1 from ${name(postsToTags)} pt join ${name(tags)} t on t.id = pt.tag_id where pt.post_id = p.id and t.label = 'tag 1') order by id`,
      ),
    );
    for (const list of [withPosts, withoutPosts, withSecondPost, postsTaggedOne]) expect(list.length).toBeGreaterThan(0);
  });

  it('orderBy as an object, a callback, and by a related row or a count of related rows', async () => {
    const db = connect();
    const byCallback = await db.query.users.findMany({ columns: { id: true }, orderBy: (t, { desc }) => [desc(t.id)], limit: 5 });
    expect(byCallback).toEqual(await rows(`select id from ${name(users)} order by id desc limit 5`));
    const byPostCount = await db.query.users.findMany({ columns: { id: true }, orderBy: { posts: 'desc(count)', id: 'asc' } });
    expect(byPostCount).toEqual(
      await rows(`select id from ${name(users)} u order by (select count(*) from ${name(posts)} p where p.author_id = u.id) desc, id asc`),
    );
    const byAuthorName = await db.query.posts.findMany({ columns: { id: true }, orderBy: { author: { name: 'desc' }, id: 'asc' }, limit: 10 });
    expect(byAuthorName).toEqual(
      await rows(`select p.id from ${name(posts)} p join ${name(users)} u on u.id = p.author_id order by u.name desc, p.id asc limit 10`),
    );
  });

  for (const perParentLimit of ['window', 'client'] as const) {
    it(`limit and offset per parent (${perParentLimit})`, async () => {
      const result = await connect({ perParentLimit }).query.users.findMany({
        columns: { id: true },
        orderBy: { id: 'asc' },
        with: { posts: { columns: { id: true }, orderBy: { id: 'desc' }, limit: 2, offset: 1 } },
      });
      const expected = [];
      for (const u of await rows(`select id from ${name(users)} order by id`)) {
        expected.push({ id: u['id'], posts: await rows(`select id from ${name(posts)} where author_id = ? order by id desc limit 2 offset 1`, [u['id']]) });
      }
      expect(result).toEqual(expected);
      expect(result.some((u) => u.posts.length === 2)).toBe(true);
    });
  }

  it('extras, at the root and in relations, with where in a relation', async () => {
    const result = await connect().query.users.findMany({
      columns: { id: true },
      where: { id: { lte: 20 } },
      orderBy: { id: 'asc' },
      extras: { shout: (t, { sql }) => sql<string>`upper(${t.name})` },
      with: { posts: { columns: { id: true }, where: { title: { like: '%-1' } }, extras: { titleLength: (t, { sql }) => sql<number>`char_length(${t.title})` } } },
    });
    const expected = [];
    for (const u of await rows(`select id, upper(name) as shout from ${name(users)} where id <= 20 order by id`)) {
      const userPosts = await rows(`select id, char_length(title) as "titleLength" from ${name(posts)} where author_id = ? and title like '%-1'`, [u['id']]);
      expected.push({ ...u, posts: userPosts });
    }
    expect(result).toEqual(expected);
  });

  it('many-to-many through the junction table, in both directions', async () => {
    const { result, statements } = await counted(() =>
      connect().query.posts.findMany({ columns: { id: true }, orderBy: { id: 'asc' }, with: { tags: { columns: { label: true }, orderBy: { id: 'asc' } } } }),
    );
    expect(statements).toHaveLength(2);
    const expected = [];
    for (const p of await rows(`select id from ${name(posts)} order by id`)) {
      const tagRows = await rows(
        `select t.label from ${name(postsToTags)} pt join ${name(tags)} t on t.id = pt.tag_id where pt.post_id = ? order by t.id`,
        [p['id']],
      );
      expected.push({ id: p['id'], tags: tagRows });
    }
    expect(result).toEqual(expected);
    expect(result.some((p) => p.tags.length === 2)).toBe(true);

    const byTag = await connect().query.tags.findMany({ orderBy: { id: 'asc' }, with: { posts: { columns: { id: true }, orderBy: { id: 'asc' } } } });
    for (const tag of byTag) {
      expect(tag.posts).toEqual(await rows(`select pt.post_id as id from ${name(postsToTags)} pt where pt.tag_id = ? order by pt.post_id`, [tag.id]));
    }
  });

  it("a relation's predefined where: on the related rows, and from the reverse side on the parent", async () => {
    const db = connect();
    const usersWithPublished = await db.query.users.findMany({
      columns: { id: true },
      orderBy: { id: 'asc' },
      with: { publishedPosts: { columns: { id: true }, orderBy: { id: 'asc' } } },
    });
    for (const u of usersWithPublished) {
      expect(u.publishedPosts).toEqual(await rows(`select id from ${name(posts)} where author_id = ? and published_at is not null order by id`, [u.id]));
    }
    const postsWithPublishedAuthor = await db.query.posts.findMany({
      columns: { id: true, publishedAt: true },
      orderBy: { id: 'asc' },
      with: { publishedAuthor: { columns: { name: true } } },
    });
    for (const p of postsWithPublishedAuthor) {
      const [author] = await rows(`select u.name from ${name(users)} u join ${name(posts)} p on p.author_id = u.id where p.id = ? and p.published_at is not null`, [p.id]);
      expect(p.publishedAuthor).toEqual(author ?? null);
    }
    expect(postsWithPublishedAuthor.some((p) => p.publishedAt === null && p.publishedAuthor === null)).toBe(true);
    expect(postsWithPublishedAuthor.some((p) => p.publishedAt !== null && p.publishedAuthor !== null)).toBe(true);
  });

  it('one-to-one in both directions, a self reference, and objects inside a relation', async () => {
    const result = await connect().query.users.findMany({
      columns: { id: true },
      orderBy: { id: 'asc' },
      with: { profile: { columns: { bio: true, settings: true }, with: { user: { columns: { id: true } } } }, inviter: { columns: { name: true } } },
    });
    for (const u of result) {
      const [profile] = await rows(`select bio, settings from ${name(profiles)} where user_id = ?`, [u.id]);
      expect(u.profile).toEqual(profile ? { ...profile, user: { id: u.id } } : null);
      const [user] = await rows(`select invited_by from ${name(users)} where id = ?`, [u.id]);
      const inviter = user!['invited_by'] === null ? [] : await rows(`select name from ${name(users)} where id = ?`, [user!['invited_by']]);
      expect(u.inviter).toEqual(inviter[0] ?? null);
    }
  });

  it('findFirst gives one row or undefined; prepared queries fill placeholders', async () => {
    const db = connect();
    const first = await db.query.users.findFirst({ where: { id: 7 }, columns: { name: true }, with: { posts: { columns: { id: true }, orderBy: { id: 'asc' } } } });
    expect(first).toEqual({ name: 'user 7', posts: await rows(`select id from ${name(posts)} where author_id = 7 order by id`) });
    expect(await db.query.users.findFirst({ where: { id: -1 } })).toBeUndefined();
    const prepared = db.query.users.findMany({ columns: { id: true }, where: { id: { lte: sql.placeholder('max') } }, orderBy: { id: 'asc' } }).prepare('upTo');
    expect(await prepared.execute({ max: 3 })).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(await prepared.execute({ max: 1 })).toEqual([{ id: 1 }]);
  });

  it('split key sets give the same result as one request', async () => {
    const query = { columns: { id: true }, orderBy: { id: 'asc' }, with: { posts: { columns: { id: true }, orderBy: { id: 'asc' } } } } as const;
    const whole = await connect().query.users.findMany(query);
    const { result: split, statements } = await counted(() => connect({ keysPerRequest: 7 }).query.users.findMany(query));
    expect(split).toEqual(whole);
    expect(statements).toHaveLength(1 + Math.ceil(USERS / 7));
  });

  it('a comment goes out with the root statement; withCache is refused with advice', async () => {
    const { statements } = await counted(() => connect().query.users.findMany({ columns: { id: true }, where: { id: 1 }, comment: 'route=/users' }));
    expect(statements[0]).toMatch(/\/\*route=\/users\*\/$/);
    expect(() => connect().query.users.findMany({ withCache: true }).toSQL()).toThrow(CrateUnsupportedError);
  });
});

describe('relational queries v2 without a server', () => {
  it('needs no CrateDB to refuse an unknown relation before sending', () => {
    const db = drizzle({ connection: 'http://127.0.0.1:9', relations: blogSchema('x_').relations });
    expect(() => db.query.users.findMany({ with: { postz: true } as never }).toSQL()).toThrow(/"postz" in `with` is not a relation of table "users" \(its relations: profile, posts/);
  });
});
