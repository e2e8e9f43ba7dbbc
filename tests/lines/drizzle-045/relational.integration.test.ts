/**
 * Relational queries (`db.query.*.findMany({ with })`) and select-builder joins on a real CrateDB, over a
 * users / profiles / posts / comments / tags schema. Every expected result is assembled from hand-written SQL sent with
 * the plain client, one query per parent: the slow, obvious way the relational loader replaces.
 */
import { asc, desc, eq, getTableName, like, relations, sql, type Table } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crateTable,
  createTables,
  drizzle,
  dropTables,
  integer,
  text,
  withOptions,
  type CrateClient,
  type RelationalQueryOptions,
} from 'drizzle-cratedb';
import { blogSchema } from './blog.js';
import { describeCrate, testClient, uniqueName } from '../../support/crate.js';

describeCrate('relational queries and joins on a real CrateDB', () => {
  const schema = blogSchema(`${uniqueName('rq')}_`);
  const { users, profiles, posts, comments, tags, postsToTags } = schema;
  const tables = [users, profiles, posts, comments, tags, postsToTags];
  const name = (table: Table) => `"${getTableName(table)}"`;
  let client: CrateClient;
  const connect = (relationalQueries?: RelationalQueryOptions) => drizzle({ client, schema, relationalQueries });

  const USERS = 40;
  const HUGE = 9_007_199_254_740_993n; // 2^53 + 1: survives only as a bigint

  beforeAll(async () => {
    client = testClient();
    const db = connect();
    await createTables(db, tables);
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
    const userRows = Array.from({ length: USERS }, (_, index) => {
      const id = index + 1;
      return { id, name: `user ${id}`, invitedBy: id === 1 ? null : ((id * 7) % (id - 1)) + 1, karma: id % 3 === 0 ? HUGE + BigInt(id) : null };
    });
    const profileRows = userRows
      .filter((u) => u.id % 2 === 0)
      .map((u) => ({ id: 1000 + u.id, userId: u.id, bio: `bio ${u.id}`, settings: { theme: u.id % 4 ? 'dark' : 'light' } }));
    profileRows.push({ id: 1999, userId: 999, bio: 'orphan', settings: { theme: 'none' } });
    const postRows = userRows.flatMap((u) =>
      Array.from({ length: u.id % 5 }, (_, j) => ({
        id: u.id * 10 + j,
        authorId: u.id,
        title: `post ${u.id}-${j}`,
        publishedAt: j === 3 ? null : day((u.id * j) % 5),
      })),
    );
    const commentRows = postRows.flatMap((p) =>
      Array.from({ length: p.id % 4 }, (_, k) => ({ id: p.id * 10 + k, postId: p.id, authorId: k === 2 ? null : ((p.id + k) % USERS) + 1, body: `comment ${k}` })),
    );
    const tagRows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, label: `tag ${i + 1}` }));
    const links = postRows.flatMap((p) => [
      { postId: p.id, tagId: (p.id % 5) + 1 },
      ...(p.id % 2 === 0 ? [{ postId: p.id, tagId: ((p.id + 2) % 5) + 1 }] : []),
    ]);
    await db.bulkInsert(users, userRows);
    await db.bulkInsert(profiles, profileRows);
    await db.bulkInsert(posts, postRows);
    await db.bulkInsert(comments, commentRows);
    await db.bulkInsert(tags, tagRows);
    await db.bulkInsert(postsToTags, links);
    await db.refresh(...tables);
  });

  afterAll(async () => {
    if (client) {
      await dropTables(drizzle({ client }), tables, { ifExists: true });
      await client.close();
    }
  });

  // Hand-written SQL, one statement per parent, and the values as drizzle maps them.
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
  const usersById = () => rows(`select id, name, invited_by, karma from ${name(users)} order by id`);
  const postsOf = (userId: unknown, tail = 'order by id') =>
    rows(`select id, author_id, title, published_at from ${name(posts)} where author_id = ? ${tail}`, [userId]);
  const commentsOf = (postId: unknown) => rows(`select id, post_id, author_id, body from ${name(comments)} where post_id = ? order by id`, [postId]);
  const userOf = async (id: unknown) => (id === null ? null : ((await rows(`select id, name, invited_by, karma from ${name(users)} where id = ?`, [id])).map(asUser)[0] ?? null));

  it('three levels: users → posts → comments → author, as the per-parent SQL has them', async () => {
    const result = await connect().query.users.findMany({
      orderBy: asc(users.id),
      with: { posts: { orderBy: asc(posts.id), with: { comments: { orderBy: asc(comments.id), with: { author: true } } } } },
    });
    const expected = [];
    for (const u of await usersById()) {
      const userPosts = [];
      for (const p of await postsOf(u['id'])) {
        const postComments = [];
        for (const c of await commentsOf(p['id'])) postComments.push({ ...asComment(c), author: await userOf(c['author_id']) });
        userPosts.push({ ...asPost(p), comments: postComments });
      }
      expected.push({ ...asUser(u), posts: userPosts });
    }
    expect(result).toEqual(expected);
    expect(result.some((u) => typeof u.karma === 'bigint' && u.karma > HUGE)).toBe(true);
    expect(result.flatMap((u) => u.posts).some((p) => p.publishedAt instanceof Date)).toBe(true);
  });

  it('one-to-one, self references, and objects inside a relation', async () => {
    const result = await connect().query.users.findMany({
      columns: { id: true },
      orderBy: asc(users.id),
      with: { profile: { columns: { bio: true, settings: true } }, inviter: { columns: { name: true } }, invitees: { columns: { id: true }, orderBy: asc(users.id) } },
    });
    const expected = [];
    for (const u of await usersById()) {
      const [profile] = await rows(`select bio, settings from ${name(profiles)} where user_id = ?`, [u['id']]);
      const inviter = u['invited_by'] === null ? [] : await rows(`select name from ${name(users)} where id = ?`, [u['invited_by']]);
      const invitees = await rows(`select id from ${name(users)} where invited_by = ? order by id`, [u['id']]);
      expected.push({ id: u['id'], profile: profile ?? null, inviter: inviter[0] ?? null, invitees });
    }
    expect(result).toEqual(expected);
    expect(result.find((u) => u.id === 4)!.profile).toEqual({ bio: 'bio 4', settings: { theme: 'light' } });
  });

  it('many-to-many through the junction table', async () => {
    const result = await connect().query.posts.findMany({
      columns: { id: true },
      orderBy: asc(posts.id),
      with: { postsToTags: { columns: {}, orderBy: asc(postsToTags.tagId), with: { tag: { columns: { label: true } } } } },
    });
    const expected = await Promise.all(
      (await rows(`select id from ${name(posts)} order by id`)).map(async (p) => ({
        id: p['id'],
        postsToTags: (
          await rows(
            `select t.label from ${name(postsToTags)} pt join ${name(tags)} t on t.id = pt.tag_id where pt.post_id = ? order by pt.tag_id`,
            [p['id']],
          )
        ).map((t) => ({ tag: { label: t['label'] } })),
      })),
    );
    expect(result).toEqual(expected);
    expect(result.some((p) => p.postsToTags.length === 2)).toBe(true);
  });

  for (const perParentLimit of ['window', 'client'] as const) {
    it(`limit and offset apply to each parent's rows (${perParentLimit})`, async () => {
      const result = await connect({ perParentLimit }).query.users.findMany({
        columns: { id: true },
        orderBy: asc(users.id),
        with: {
          posts: {
            columns: { id: true, publishedAt: true },
            orderBy: [desc(posts.publishedAt), asc(posts.id)],
            limit: 2,
            // Not in drizzle-orm's types for nested relations, but honoured at run time by pg-core as here.
            ...({ offset: 1 } as object),
          },
        },
      });
      const expected = [];
      for (const u of await usersById()) {
        const sliced = await postsOf(u['id'], 'order by published_at desc nulls first, id asc limit 2 offset 1');
        expected.push({ id: u['id'], posts: sliced.map((p) => ({ id: p['id'], publishedAt: asPost(p).publishedAt })) });
      }
      expect(result).toEqual(expected);
      expect(result.some((u) => u.posts.length === 2)).toBe(true);
    });
  }

  it('where and extras inside relations, and a root condition', async () => {
    const result = await connect().query.users.findMany({
      columns: { id: true },
      where: (u, { lte }) => lte(u.id, 20),
      orderBy: asc(users.id),
      extras: { shout: sql<string>`upper(${users.name})`.as('shout') },
      with: {
        posts: {
          columns: { id: true },
          where: like(posts.title, '%-1'),
          extras: (p, { sql }) => ({ titleLength: sql<number>`char_length(${p.title})`.as('title_length') }),
        },
      },
    });
    const expected = [];
    for (const u of (await usersById()).filter((r) => (r['id'] as number) <= 20)) {
      const matching = await rows(`select id, char_length(title) as n from ${name(posts)} where author_id = ? and title like '%-1'`, [u['id']]);
      expected.push({ id: u['id'], shout: String(u['name']).toUpperCase(), posts: matching.map((p) => ({ id: p['id'], titleLength: p['n'] })) });
    }
    expect(result).toEqual(expected);
    expect(result.flatMap((u) => u.posts)).not.toHaveLength(0);
  });

  it('keys split over several requests give the same result', async () => {
    const query = { orderBy: asc(users.id), with: { posts: { orderBy: asc(posts.id), with: { comments: { orderBy: asc(comments.id) } } } } } as const;
    const whole = await connect().query.users.findMany(query);
    const chunked = await connect({ keysPerRequest: 3, concurrency: 2 }).query.users.findMany(query);
    expect(chunked).toEqual(whole);
  });

  it('findFirst and a prepared query with placeholders', async () => {
    const db = connect();
    const first = await db.query.posts.findFirst({ where: eq(posts.id, 31), with: { author: { columns: { name: true } } } });
    expect(first).toEqual({ ...asPost((await rows(`select * from ${name(posts)} where id = 31`))[0]!), author: { name: 'user 3' } });
    expect(await db.query.posts.findFirst({ where: eq(posts.id, -1), with: { author: true } })).toBeUndefined();

    const prepared = db.query.users
      .findMany({ where: (u, { eq }) => eq(u.id, sql.placeholder('id')), with: { posts: { limit: sql.placeholder('n'), orderBy: asc(posts.id) } } })
      .prepare('user_posts');
    for (const [id, n] of [
      [4, 1],
      [9, 3],
    ] as const) {
      const [user] = await prepared.execute({ id, n });
      expect(user!.posts).toEqual((await postsOf(id, `order by id limit ${n}`)).map(asPost));
    }
  });

  it('a relation keyed by two columns', async () => {
    const prefix = uniqueName('rq2');
    const orders = crateTable(`${prefix}_orders`, { region: text().notNull(), number: integer().notNull(), customer: text() }, () => [
      withOptions({ number_of_replicas: '0' }),
    ]);
    const lines = crateTable(`${prefix}_lines`, { region: text().notNull(), orderNumber: integer('order_number').notNull(), item: text() }, () => [
      withOptions({ number_of_replicas: '0' }),
    ]);
    const ordersRelations = relations(orders, ({ many }) => ({ lines: many(lines) }));
    const linesRelations = relations(lines, ({ one }) => ({
      order: one(orders, { fields: [lines.region, lines.orderNumber], references: [orders.region, orders.number] }),
    }));
    const db = drizzle({ client, schema: { orders, lines, ordersRelations, linesRelations }, refreshAfterWrite: true });
    await createTables(db, [orders, lines]);
    try {
      await db.insert(orders).values([
        { region: 'eu', number: 1, customer: 'a' },
        { region: 'us', number: 2, customer: 'b' },
      ]);
      await db.insert(lines).values([
        { region: 'eu', orderNumber: 1, item: 'x' },
        { region: 'eu', orderNumber: 2, item: 'eu-2 has no order' },
        { region: 'us', orderNumber: 1, item: 'us-1 has no order' },
        { region: 'us', orderNumber: 2, item: 'y' },
        { region: 'us', orderNumber: 2, item: 'z' },
      ]);
      const result = await db.query.orders.findMany({
        columns: { customer: true },
        orderBy: asc(orders.region),
        with: { lines: { columns: { item: true }, orderBy: asc(lines.item), limit: 1 } },
      });
      expect(result).toEqual([
        { customer: 'a', lines: [{ item: 'x' }] },
        { customer: 'b', lines: [{ item: 'y' }] },
      ]);
      const back = await db.query.lines.findMany({ columns: { item: true }, orderBy: asc(lines.item), with: { order: { columns: { customer: true } } } });
      expect(back).toEqual([
        { item: 'eu-2 has no order', order: null },
        { item: 'us-1 has no order', order: null },
        { item: 'x', order: { customer: 'a' } },
        { item: 'y', order: { customer: 'b' } },
        { item: 'z', order: { customer: 'b' } },
      ]);
    } finally {
      await dropTables(db, [orders, lines], { ifExists: true });
    }
  });

  it('rows just written are read by the relations with refreshAfterWrite', async () => {
    const db = drizzle({ client, schema, refreshAfterWrite: true });
    await db.insert(users).values({ id: 500, name: 'fresh' });
    await db.insert(posts).values({ id: 5000, authorId: 500, title: 'new' });
    try {
      const user = await db.query.users.findFirst({ where: eq(users.name, 'fresh'), with: { posts: { columns: { title: true } } } });
      expect(user).toMatchObject({ id: 500, posts: [{ title: 'new' }] });
    } finally {
      await db.delete(posts).where(eq(posts.id, 5000));
      await db.delete(users).where(eq(users.id, 500));
    }
  });

  describe('select-builder joins', () => {
    const byJoin = async (kind: 'inner' | 'left' | 'right' | 'full') =>
      rows(
        `select u.id as uid, u.name, p.user_id, p.bio from ${name(users)} u ${kind} join ${name(profiles)} p on p.user_id = u.id ` +
          'order by u.id nulls last, p.user_id nulls last',
      );
    const shape = (r: Record<string, unknown>) => ({
      user: r['uid'] === null ? null : { id: r['uid'], name: r['name'] },
      profile: r['user_id'] === null ? null : { userId: r['user_id'], bio: r['bio'] },
    });
    const fields = { user: { id: users.id, name: users.name }, profile: { userId: profiles.userId, bio: profiles.bio } };
    const order = [sql`${users.id} nulls last`, sql`${profiles.userId} nulls last`];

    it('innerJoin', async () => {
      const db = connect();
      const result = await db.select(fields).from(users).innerJoin(profiles, eq(profiles.userId, users.id)).orderBy(...order);
      expect(result).toEqual((await byJoin('inner')).map(shape));
      expect(result).toHaveLength(USERS / 2);
    });

    it('leftJoin: users without a profile get null', async () => {
      const result = await connect().select(fields).from(users).leftJoin(profiles, eq(profiles.userId, users.id)).orderBy(...order);
      expect(result).toEqual((await byJoin('left')).map(shape));
      expect(result.filter((r) => r.profile === null)).toHaveLength(USERS / 2);
    });

    it('rightJoin: a profile without a user gets a null user', async () => {
      const result = await connect().select(fields).from(users).rightJoin(profiles, eq(profiles.userId, users.id)).orderBy(...order);
      expect(result).toEqual((await byJoin('right')).map(shape));
      expect(result.filter((r) => r.user === null)).toEqual([{ user: null, profile: { userId: 999, bio: 'orphan' } }]);
    });

    it('fullJoin: both sides', async () => {
      const result = await connect().select(fields).from(users).fullJoin(profiles, eq(profiles.userId, users.id)).orderBy(...order);
      expect(result).toEqual((await byJoin('full')).map(shape));
      expect(result).toHaveLength(USERS + 1);
    });

    it('joins with aggregates: posts per user, as SQL counts them', async () => {
      const result = await connect()
        .select({ id: users.id, posts: sql<number>`count(${posts.id})`.mapWith(Number) })
        .from(users)
        .leftJoin(posts, eq(posts.authorId, users.id))
        .groupBy(users.id)
        .orderBy(asc(users.id));
      const expected = await rows(
        `select u.id, count(p.id) as n from ${name(users)} u left join ${name(posts)} p on p.author_id = u.id group by u.id order by u.id`,
      );
      expect(result).toEqual(expected.map((r) => ({ id: r['id'], posts: r['n'] })));
    });
  });
});
