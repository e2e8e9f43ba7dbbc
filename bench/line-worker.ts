/**
 * One run of the Drizzle-line comparison, in a process of its own on one line (BENCH_LINE=0.45 or v1; the parent,
 * bench/lines.ts, gives v1 processes the resolve hook that makes `drizzle-orm` drizzle-orm 1.x). The same workload on
 * either line, written once against what both entries share:
 *
 *   select1      db.select() of one row by key, over HTTP to the bench server          queries/s
 *   select10k    db.select() of 10,000 rows, over HTTP                                  rows/s
 *   raw10k       undici + JSON.parse of the same response: the floor, in this process   rows/s
 *   map10k       db.select() of 10,000 rows from a client that answers at once: building, decoding done, row mapping
 *   build1       building the one-row query into SQL text                                 queries/s
 *   build1PgCore the same on a pg-core table with pg-core's QueryBuilder: drizzle-orm's own cost
 *   findMany     findMany() of users with their posts and the posts' comments, from the in-process table server
 *
 * Prints one JSON line: per task, the median of the rounds, as a rate (higher is better).
 */
import { Pool } from 'undici';
import { CrateClient } from '../src/driver/index.js';
import { startProtocolServer } from '../tests/support/protocol-server.js';
import { serveTables } from '../tests/support/table-server.js';
import { BENCH_LARGE_ROWS, BENCH_LARGE_SQL } from './driver.js';
import { collectGarbage } from './memory.js';
import { interleave, rates, summarize, type Task } from './stats.js';

type Line = '0.45' | 'v1';
const line = process.env.BENCH_LINE as Line;
if (line !== '0.45' && line !== 'v1') throw new Error('line-worker: set BENCH_LINE to 0.45 or v1');
const url = process.env.BENCH_URL!;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const scale = Number(process.env.BENCH_SCALE ?? 1);

/** What both entries export alike, as far as this workload uses it. */
interface Entry {
  drizzle(init: object): Db;
  crateTable(name: string, columns: Record<string, unknown>): object;
  integer(name?: string): { primaryKey(): unknown; notNull(): unknown };
  text(name?: string): { notNull(): unknown; array(): unknown };
  timestamp(name: string, config: object): unknown;
  bigint(name: string): unknown;
  doublePrecision(name: string): unknown;
  boolean(name: string): unknown;
  object(name: string): unknown;
}
interface Db {
  select(): { from(table: object): Promise<unknown[]> & { where(condition: unknown): Promise<unknown[]> & { toSQL(): unknown } } };
  query: Record<string, { findMany(config: object): Promise<{ posts: { comments: unknown[] }[] }[]> }>;
  $client: CrateClient;
}
interface PgCore {
  QueryBuilder: new () => { select(): { from(table: object): { where(condition: unknown): { toSQL(): unknown } } } };
  pgTable(name: string, columns: Record<string, unknown>): Record<string, unknown>;
  integer(name: string): unknown;
  text(name: string): { array(): unknown };
  timestamp(name: string, config: object): unknown;
  bigint(name: string, config: object): unknown;
  doublePrecision(name: string): unknown;
  boolean(name: string): unknown;
  jsonb(name: string): unknown;
}
interface Orm {
  eq(column: unknown, value: unknown): unknown;
  relations?: (table: object, define: (helpers: never) => object) => object;
  defineRelations?: (tables: object, define: (r: never) => object) => object;
}

// Dynamic imports: which drizzle-orm `drizzle-orm` is depends on the hook this process was started with.
const entry = (await import(line === 'v1' ? '../src/v1.js' : '../src/index.js')) as unknown as Entry;
const orm = (await import('drizzle-orm')) as unknown as Orm;
const pgCore = (await import('drizzle-orm/pg-core')) as unknown as PgCore;
if ((orm.defineRelations !== undefined) !== (line === 'v1')) throw new Error(`line-worker: BENCH_LINE=${line}, but drizzle-orm is the other line`);

const readColumns = () => ({
  id: entry.integer('id'),
  name: entry.text('name'),
  createdAt: entry.timestamp('created_at', { withTimezone: true }),
  big: entry.bigint('big'),
  score: entry.doublePrecision('score'),
  active: entry.boolean('active'),
  tags: entry.text('tags').array(),
  attrs: entry.object('attrs'),
});
const benchSmall = entry.crateTable('bench_small', readColumns()) as Record<string, unknown>;
const benchLarge = entry.crateTable('bench_large', readColumns());

const db = entry.drizzle({ client: new CrateClient({ servers: url }) });
const pool = new Pool(new URL(url).origin, { connections: 10 });
const raw = async (): Promise<unknown[]> => {
  const response = await pool.request({ method: 'POST', path: '/_sql?types', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stmt: BENCH_LARGE_SQL }) });
  return (JSON.parse(await response.body.text()) as { rows: unknown[] }).rows;
};

// A client that answers every statement with one decoded 10,000-row result: what is left is the line's own work.
const decoded = await db.$client.sql(BENCH_LARGE_SQL);
const instant = new CrateClient({ servers: url });
instant.sql = (async () => ({ ...decoded })) as unknown as CrateClient['sql'];
const instantDb = entry.drizzle({ client: instant });

const blog = await blogServer(Math.max(20, Math.round(200 * scale)), 20);

// The same query on a plain pg-core table, built by pg-core's QueryBuilder: drizzle-orm's own cost on this line.
const pgSmall = pgCore.pgTable('bench_small', {
  id: pgCore.integer('id'),
  name: pgCore.text('name'),
  createdAt: pgCore.timestamp('created_at', { withTimezone: true }),
  big: pgCore.bigint('big', { mode: 'number' }),
  score: pgCore.doublePrecision('score'),
  active: pgCore.boolean('active'),
  tags: pgCore.text('tags').array(),
  attrs: pgCore.jsonb('attrs'),
});
const pgBuilder = new pgCore.QueryBuilder();

const oneRow = () => db.select().from(benchSmall).where(orm.eq(benchSmall['id'], 1));
const tasks: Record<string, { task: Task; iterations: number; units: number }> = {
  select1: { task: oneRow, iterations: Math.max(20, Math.round(200 * scale)), units: 1 },
  select10k: { task: () => db.select().from(benchLarge), iterations: 3, units: BENCH_LARGE_ROWS },
  raw10k: { task: raw, iterations: 3, units: BENCH_LARGE_ROWS },
  map10k: { task: () => instantDb.select().from(benchLarge), iterations: 3, units: BENCH_LARGE_ROWS },
  build1: { task: async () => oneRow().toSQL(), iterations: Math.max(200, Math.round(5_000 * scale)), units: 1 },
  build1PgCore: { task: async () => pgBuilder.select().from(pgSmall).where(orm.eq(pgSmall['id'], 1)).toSQL(), iterations: Math.max(200, Math.round(5_000 * scale)), units: 1 },
  findMany: { task: blog.findMany, iterations: 1, units: 1 },
};

try {
  await checkAnswers();
  const samples: Record<string, number[]> = {};
  // Tasks with different batch sizes cannot share one interleave() call; each round runs each task once.
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, { iterations }] of Object.entries(tasks)) {
      collectGarbage();
      const ms = (await interleave({ [name]: tasks[name]!.task }, { iterations, concurrency: 1, rounds: 1, warmupBatches: round === 0 ? 1 : 0 }))[name]!;
      if (round === 0) continue; // warm-up round
      (samples[name] ??= []).push(...rates(ms, iterations * tasks[name]!.units));
    }
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values).median]));
  process.stdout.write(`${JSON.stringify({ line, medians })}\n`);
} finally {
  await db.$client.close();
  await instant.close();
  await pool.close();
  await blog.close();
}

/** Each task must do the whole work: a fast task that returns nothing measures nothing. */
async function checkAnswers(): Promise<void> {
  const [row] = (await oneRow()) as Record<string, unknown>[];
  if (!(row?.['createdAt'] instanceof Date)) throw new Error(`line-worker ${line}: select1 did not map created_at to a Date`);
  for (const name of ['select10k', 'raw10k', 'map10k'] as const) {
    const rows = (await tasks[name]!.task()) as unknown[];
    if (rows.length !== BENCH_LARGE_ROWS) throw new Error(`line-worker ${line}: ${name} got ${rows.length} rows`);
  }
  const tree = await blog.findMany();
  if (tree.length !== blog.users || tree.flatMap((user) => user.posts).length !== blog.posts) {
    throw new Error(`line-worker ${line}: findMany loaded ${tree.length} users`);
  }
}

/** users → posts → comments on the table server, with the relations declared the line's way. */
async function blogServer(users: number, postsPerUser: number) {
  const server = await startProtocolServer({ record: false });
  const userRows = Array.from({ length: users }, (_, i) => ({ id: i + 1, name: `user ${i + 1}` }));
  const postRows = userRows.flatMap((user) => Array.from({ length: postsPerUser }, (_, j) => ({ id: user.id * 1000 + j, author_id: user.id, title: `post ${j}` })));
  const commentRows = postRows.flatMap((post, i) => Array.from({ length: i % 3 }, (_, k) => ({ id: post.id * 10 + k, post_id: post.id, body: `comment ${k}` })));
  serveTables(server, { bl_users: userRows, bl_posts: postRows, bl_comments: commentRows });

  const tables = {
    users: entry.crateTable('bl_users', { id: entry.integer().primaryKey(), name: entry.text().notNull() }) as Record<string, unknown>,
    posts: entry.crateTable('bl_posts', { id: entry.integer().primaryKey(), authorId: entry.integer('author_id').notNull(), title: entry.text().notNull() }) as Record<string, unknown>,
    comments: entry.crateTable('bl_comments', { id: entry.integer().primaryKey(), postId: entry.integer('post_id').notNull(), body: entry.text().notNull() }) as Record<string, unknown>,
  };
  const client = new CrateClient({ servers: server.url });
  let blogDb: Db;
  if (line === 'v1') {
    const relations = orm.defineRelations!(tables, (r: any) => ({
      users: { posts: r.many.posts({ from: r.users.id, to: r.posts.authorId }) },
      posts: { comments: r.many.comments({ from: r.posts.id, to: r.comments.postId }) },
    }));
    blogDb = entry.drizzle({ client, relations });
  } else {
    const relations = orm.relations!;
    const schema = {
      ...tables,
      usersRelations: relations(tables.users, ({ many }: any) => ({ posts: many(tables.posts) })),
      postsRelations: relations(tables.posts, ({ one, many }: any) => ({
        author: one(tables.users, { fields: [tables.posts['authorId']], references: [tables.users['id']] }),
        comments: many(tables.comments),
      })),
      commentsRelations: relations(tables.comments, ({ one }: any) => ({
        post: one(tables.posts, { fields: [tables.comments['postId']], references: [tables.posts['id']] }),
      })),
    };
    blogDb = entry.drizzle({ client, schema });
  }
  return {
    users: userRows.length,
    posts: postRows.length,
    findMany: () => blogDb.query['users']!.findMany({ with: { posts: { with: { comments: true } } } }),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

