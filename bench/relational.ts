/**
 * Relational query benchmark: `db.query.users.findMany({ with: { posts: { with: { comments: true } } } })` over 1,000
 * users, 20,000 posts and about 20,000 comments, against the naive way of loading the same tree, one query per parent
 * (the N+1 pattern: the users, then each user's posts, then each post's comments). Reported per contender: requests
 * sent, wall time, and the ratios. A second scenario compares where a relation's per-parent `limit` is cut: on the
 * server with a row_number() window, or on the client after receiving every matching row.
 *
 * Runs against a real CrateDB (tables created, filled and dropped here) or, without one, against the in-process
 * table server of the unit tests, where a request costs far less than over a network.
 */
import { desc, eq } from 'drizzle-orm';
import { blogSchema, type BlogSchema } from '../tests/lines/drizzle-045/blog.js';
import { startProtocolServer, type ProtocolServer } from '../tests/support/protocol-server.js';
import { serveTables } from '../tests/support/table-server.js';
import { mapConcurrently } from '../src/dialect/relational/loader.js';
import { CrateClient, createTables, dropTables, drizzle, type RelationalQueryOptions } from '../src/index.js';
import { ratio, summarize, type Ratio, type Summary } from './stats.js';
import { collectGarbage } from './memory.js';

export interface RelationalOptions {
  /** A real CrateDB, or undefined for the in-process table server. */
  url: string | undefined;
  users: number;
  postsPerUser: number;
  rounds: number;
  /** Rounds of the naive contender, which takes tens of seconds on a real server. */
  naiveRounds: number;
  /** Queries of the naive contender in flight at once (a careful N+1 loop runs them side by side). */
  naiveConcurrency: number;
}

export interface RelationalContender {
  title: string;
  /** Requests and rows of one run. */
  requests: number;
  rowsReceived: number;
  ms: Summary;
  samples: number[];
}

export interface RelationalResults {
  server: 'cratedb' | 'protocol';
  serverVersion: string | undefined;
  users: number;
  posts: number;
  comments: number;
  findMany: RelationalContender;
  naive: RelationalContender & { concurrency: number };
  /** naive ms / findMany ms, and requests likewise. */
  ratios: { wallTime: Ratio; requests: number };
  /** Real CrateDB only: the table server cannot run windowed statements. */
  perParentLimit?: {
    limit: number;
    window: RelationalContender;
    client: RelationalContender;
    /** client ms / window ms: above 1 when cutting on the server is faster. */
    clientVsWindow: Ratio;
  };
}

type Schema = BlogSchema;

/** 20 posts per user; a post has 0, 1 or 2 comments (1 on average), each by some user. */
function benchData(users: number, postsPerUser: number) {
  const userRows = Array.from({ length: users }, (_, i) => ({ id: i + 1, name: `user ${i + 1}`, invitedBy: null, karma: null }));
  const postRows = userRows.flatMap((u) =>
    Array.from({ length: postsPerUser }, (_, j) => ({ id: u.id * 1000 + j, authorId: u.id, title: `post ${j} of ${u.id}`, publishedAt: null })),
  );
  const commentRows = postRows.flatMap((p, index) =>
    Array.from({ length: index % 3 }, (_, k) => ({ id: p.id * 10 + k, postId: p.id, authorId: ((p.id + k) % users) + 1, body: `comment ${k}` })),
  );
  return { userRows, postRows, commentRows };
}

export async function benchRelational(options: RelationalOptions): Promise<RelationalResults> {
  const prefix = `bench_rq_${process.pid}_`;
  const schema = blogSchema(prefix);
  const data = benchData(options.users, options.postsPerUser);
  let server: ProtocolServer | undefined;
  let url = options.url;
  if (url === undefined) {
    server = await startProtocolServer({ record: false });
    const byColumn = <T extends Record<string, unknown>>(rows: T[], names: Record<string, string>) =>
      rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [names[key] ?? key, value])));
    serveTables(server, {
      [`${prefix}users`]: byColumn(data.userRows, { invitedBy: 'invited_by' }),
      [`${prefix}posts`]: byColumn(data.postRows, { authorId: 'author_id', publishedAt: 'published_at' }),
      [`${prefix}comments`]: byColumn(data.commentRows, { postId: 'post_id', authorId: 'author_id' }),
    });
    url = server.url;
  }

  // Every statement goes through this client, which counts requests and the rows they brought back.
  const client = new CrateClient({ servers: url });
  const counted = { requests: 0, rows: 0 };
  const send = client.sql.bind(client);
  client.sql = (async (...args: Parameters<CrateClient['sql']>) => {
    counted.requests++;
    const result = await send(...args);
    counted.rows += result.rows.length;
    return result;
  }) as CrateClient['sql'];
  const connect = (relationalQueries?: RelationalQueryOptions) => drizzle({ client, schema, relationalQueries });
  const tables = [schema.users, schema.posts, schema.comments];

  try {
    let serverVersion: string | undefined;
    if (server === undefined) {
      serverVersion = (await client.serverInfo()).version;
      const db = connect();
      await dropTables(db, tables, { ifExists: true });
      await createTables(db, tables);
      await db.bulkInsert(schema.users, data.userRows);
      await db.bulkInsert(schema.posts, data.postRows, { chunkSize: 10_000 });
      await db.bulkInsert(schema.comments, data.commentRows, { chunkSize: 10_000 });
      await db.refresh(...tables);
    }

    const db = connect();
    const findMany = () => db.query.users.findMany({ with: { posts: { with: { comments: true } } } });
    const naive = () => naiveTree(db, schema, options.naiveConcurrency);

    // Both must load the same tree; a contender that loads less measures nothing.
    const expected = await findMany();
    const fromNaive = await naive();
    const shape = (tree: { posts: { comments: unknown[] }[] }[]) => [tree.length, tree.flatMap((u) => u.posts).length, tree.flatMap((u) => u.posts.flatMap((p) => p.comments)).length];
    if (JSON.stringify(shape(expected)) !== JSON.stringify([data.userRows.length, data.postRows.length, data.commentRows.length])) {
      throw new Error(`relational bench: findMany loaded ${shape(expected).join('/')} users/posts/comments`);
    }
    if (JSON.stringify(shape(fromNaive)) !== JSON.stringify(shape(expected))) {
      throw new Error(`relational bench: the naive loader loaded ${shape(fromNaive).join('/')} users/posts/comments`);
    }

    const findManyRun = await measure(findMany, options.rounds, counted);
    const naiveRun = await measure(naive, options.naiveRounds, counted);

    const limit = 3;
    const limited = (perParentLimit: 'window' | 'client') => {
      const limitedDb = connect({ perParentLimit });
      return () => limitedDb.query.users.findMany({ with: { posts: { orderBy: desc(schema.posts.id), limit } } });
    };
    let perParentLimit: RelationalResults['perParentLimit'];
    if (server === undefined) {
      const windowRun = await measure(limited('window'), options.rounds, counted);
      const clientRun = await measure(limited('client'), options.rounds, counted);
      perParentLimit = {
        limit,
        window: { title: `posts limit ${limit} per user, cut by row_number()`, ...windowRun },
        client: { title: `posts limit ${limit} per user, cut on the client`, ...clientRun },
        clientVsWindow: ratio(clientRun.samples, windowRun.samples),
      };
    }

    return {
      server: server === undefined ? 'cratedb' : 'protocol',
      serverVersion,
      users: data.userRows.length,
      posts: data.postRows.length,
      comments: data.commentRows.length,
      findMany: { title: 'findMany({ with: { posts: { with: { comments } } } })', ...findManyRun },
      naive: { title: 'one query per parent (N+1)', ...naiveRun, concurrency: options.naiveConcurrency },
      ratios: { wallTime: ratio(naiveRun.samples, findManyRun.samples), requests: naiveRun.requests / findManyRun.requests },
      perParentLimit,
    };
  } finally {
    if (server === undefined) await dropTables(connect(), tables, { ifExists: true }).catch(() => undefined);
    await client.close();
    await server?.close();
  }
}

/** The tree the N+1 way: the users, each user's posts, each post's comments; `concurrency` queries at a time. */
async function naiveTree(db: ReturnType<typeof drizzle<Schema>>, schema: Schema, concurrency: number) {
  const users = await db.select().from(schema.users);
  const withPosts = await mapConcurrently(users, concurrency, async (user) => ({
    ...user,
    posts: await db.select().from(schema.posts).where(eq(schema.posts.authorId, user.id)),
  }));
  const posts = withPosts.flatMap((user) => user.posts);
  const comments = await mapConcurrently(posts, concurrency, (post) => db.select().from(schema.comments).where(eq(schema.comments.postId, post.id)));
  const byPost = new Map(posts.map((post, i) => [post, comments[i]!]));
  return withPosts.map((user) => ({ ...user, posts: user.posts.map((post) => ({ ...post, comments: byPost.get(post)! })) }));
}

/** Wall time of `rounds` runs after one warm-up, with the requests and rows of one run. */
async function measure(task: () => Promise<unknown>, rounds: number, counted: { requests: number; rows: number }) {
  await task();
  const samples: number[] = [];
  let requests = 0;
  let rowsReceived = 0;
  for (let round = 0; round < rounds; round++) {
    collectGarbage();
    const before = { ...counted };
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
    requests = counted.requests - before.requests;
    rowsReceived = counted.rows - before.rows;
  }
  return { requests, rowsReceived, ms: summarize(samples), samples };
}
