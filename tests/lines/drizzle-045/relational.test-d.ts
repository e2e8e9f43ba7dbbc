/**
 * Compile-time types of the relational query API (`db.query.<table>.findMany()/findFirst()`) over the blog fixture.
 * The builders are drizzle-orm's pg-core RelationalQueryBuilder types; these tests pin the row shapes they infer so
 * that `db.query` turning into `any`, losing tables or relation keys, or changing a column's TS type fails here.
 * The shapes are written out by hand, never derived from the expressions under test, and flat: toEqualTypeOf
 * tells an intersection like `User & { posts: Post[] }` from the flattened object type drizzle infers.
 */
import { eq, sql } from 'drizzle-orm';
import type { PgRelationalQuery } from 'drizzle-orm/pg-core/query-builders/query';
import { describe, expectTypeOf, it } from 'vitest';
import { drizzle } from 'drizzle-cratedb';
import { blogSchema } from './blog.js';

const schema = blogSchema();
const db = drizzle({ connection: 'http://127.0.0.1:4200', schema });

// Full rows, from the fixture's columns: integer -> number, text -> string, bigint({ mode: 'bigint' }) -> bigint,
// timestamp (date mode) -> Date; nullable unless notNull() or primaryKey().
type User = { id: number; name: string; invitedBy: number | null; karma: bigint | null };
// object({ columns }) types its sub-columns as optional keys (a document may lack them), nullable like any column.
type Profile = { id: number; userId: number; bio: string | null; settings: { theme?: string | null } | null };
type Post = { id: number; authorId: number; title: string; publishedAt: Date | null };
type Comment = { id: number; postId: number; authorId: number | null; body: string };

describe('db.query', () => {
  it('is typed, with a builder per table and nothing else', () => {
    expectTypeOf(db.query).not.toBeAny();
    expectTypeOf<keyof typeof db.query>().toEqualTypeOf<'users' | 'profiles' | 'posts' | 'comments' | 'tags' | 'postsToTags'>();
  });

  it('builds drizzle-orm pg-core relational queries', () => {
    expectTypeOf(db.query.users.findMany()).toEqualTypeOf<PgRelationalQuery<User[]>>();
    expectTypeOf(db.query.users.findFirst()).toEqualTypeOf<PgRelationalQuery<User | undefined>>();
  });
});

describe('findMany', () => {
  it('without a config returns full rows', async () => {
    expectTypeOf(await db.query.users.findMany()).toEqualTypeOf<User[]>();
    expectTypeOf(await db.query.profiles.findMany()).toEqualTypeOf<Profile[]>();
    expectTypeOf(await db.query.posts.findMany()).toEqualTypeOf<Post[]>();
    expectTypeOf(await db.query.comments.findMany()).toEqualTypeOf<Comment[]>();
    expectTypeOf(await db.query.tags.findMany()).toEqualTypeOf<{ id: number; label: string }[]>();
    expectTypeOf(await db.query.postsToTags.findMany()).toEqualTypeOf<{ postId: number; tagId: number }[]>();
  });

  it('where, orderBy, limit and offset do not change the row type', async () => {
    const rows = await db.query.users.findMany({
      where: (u, { gt }) => gt(u.id, 1),
      orderBy: (u, { desc }) => desc(u.id),
      limit: 10,
      offset: 5,
    });
    expectTypeOf(rows).toEqualTypeOf<User[]>();
    expectTypeOf(await db.query.users.findMany({ where: eq(schema.users.name, 'a') })).toEqualTypeOf<User[]>();
  });

  it('columns in include mode keep only the columns set to true', async () => {
    expectTypeOf(await db.query.users.findMany({ columns: { name: true } })).toEqualTypeOf<{ name: string }[]>();
    expectTypeOf(await db.query.users.findMany({ columns: { id: true, karma: true } })).toEqualTypeOf<
      { id: number; karma: bigint | null }[]
    >();
  });

  it('columns in exclude mode drop the columns set to false', async () => {
    expectTypeOf(await db.query.users.findMany({ columns: { karma: false } })).toEqualTypeOf<
      { id: number; name: string; invitedBy: number | null }[]
    >();
  });

  it('extras add typed fields, as an object or from a callback', async () => {
    const rows = await db.query.users.findMany({
      columns: { id: true },
      extras: { shout: sql<string>`upper(${schema.users.name})`.as('shout') },
    });
    expectTypeOf(rows).toEqualTypeOf<{ id: number; shout: string }[]>();

    const fromCallback = await db.query.users.findMany({
      columns: { id: true },
      extras: (u, { sql }) => ({ length: sql<number>`char_length(${u.name})`.as('length') }),
    });
    expectTypeOf(fromCallback).toEqualTypeOf<{ id: number; length: number }[]>();
  });
});

describe('with', () => {
  it('one-to-one without fields is nullable', async () => {
    // `one(profiles)` has no fields, so drizzle cannot know the profile exists: `| null`.
    expectTypeOf(await db.query.users.findMany({ with: { profile: true } })).toEqualTypeOf<
      { id: number; name: string; invitedBy: number | null; karma: bigint | null; profile: Profile | null }[]
    >();
  });

  it('one-to-many is an array', async () => {
    expectTypeOf(await db.query.users.findMany({ with: { posts: true } })).toEqualTypeOf<{ id: number; name: string; invitedBy: number | null; karma: bigint | null; posts: Post[] }[]>();
  });

  it('many-to-one is non-null over notNull fields and nullable over nullable ones', async () => {
    // posts.authorId is notNull -> every post has an author.
    expectTypeOf(await db.query.posts.findMany({ with: { author: true } })).toEqualTypeOf<{ id: number; authorId: number; title: string; publishedAt: Date | null; author: User }[]>();
    // comments.authorId is nullable -> the author may be missing; comments.postId is notNull -> the post is not.
    expectTypeOf(await db.query.comments.findMany({ with: { author: true, post: true } })).toEqualTypeOf<
      { id: number; postId: number; authorId: number | null; body: string; author: User | null; post: Post }[]
    >();
    // profiles.userId is notNull.
    expectTypeOf(await db.query.profiles.findMany({ with: { user: true } })).toEqualTypeOf<{ id: number; userId: number; bio: string | null; settings: { theme?: string | null } | null; user: User }[]>();
  });

  it('self relations: inviter over a nullable field, invitees as an array', async () => {
    expectTypeOf(await db.query.users.findMany({ with: { inviter: true, invitees: true } })).toEqualTypeOf<
      { id: number; name: string; invitedBy: number | null; karma: bigint | null; inviter: User | null; invitees: User[] }[]
    >();
  });

  it('relation configs narrow columns and add extras at their own level', async () => {
    const rows = await db.query.users.findMany({
      columns: { name: true },
      with: {
        profile: { columns: { bio: true } },
        posts: {
          columns: { title: true },
          extras: { loud: sql<string>`upper(${schema.posts.title})`.as('loud') },
          where: (p, { isNotNull }) => isNotNull(p.publishedAt),
          orderBy: (p, { asc }) => asc(p.id),
          limit: 3,
        },
        inviter: { columns: { karma: false } },
      },
    });
    expectTypeOf(rows).toEqualTypeOf<
      {
        name: string;
        profile: { bio: string | null } | null;
        posts: { title: string; loud: string }[];
        inviter: { id: number; name: string; invitedBy: number | null } | null;
      }[]
    >();
  });

  it('many-to-many through the junction table, with the junction columns left out', async () => {
    const rows = await db.query.posts.findMany({
      columns: { id: true },
      with: { postsToTags: { columns: {}, with: { tag: true } } },
    });
    expectTypeOf(rows).toEqualTypeOf<{ id: number; postsToTags: { tag: { id: number; label: string } }[] }[]>();
    expectTypeOf(await db.query.postsToTags.findMany({ with: { post: true } })).toEqualTypeOf<
      { postId: number; tagId: number; post: Post }[]
    >();
  });

  it('nests three levels deep', async () => {
    const rows = await db.query.users.findMany({
      columns: { id: true },
      with: {
        posts: {
          columns: { title: true },
          with: { comments: { columns: { body: true }, with: { author: { columns: { name: true } } } } },
        },
      },
    });
    expectTypeOf(rows).toEqualTypeOf<
      { id: number; posts: { title: string; comments: { body: string; author: { name: string } | null }[] }[] }[]
    >();

    const full = await db.query.users.findMany({
      with: { posts: { with: { author: true, comments: { with: { author: true } } } } },
    });
    expectTypeOf(full).toEqualTypeOf<
      {
        id: number; name: string; invitedBy: number | null; karma: bigint | null;
        posts: { id: number; authorId: number; title: string; publishedAt: Date | null; author: User; comments: { id: number; postId: number; authorId: number | null; body: string; author: User | null }[] }[];
      }[]
    >();
  });
});

describe('findFirst', () => {
  it('returns one row or undefined', async () => {
    expectTypeOf(await db.query.users.findFirst()).toEqualTypeOf<User | undefined>();
    expectTypeOf(await db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, 1), columns: { name: true } })).toEqualTypeOf<
      { name: string } | undefined
    >();
    expectTypeOf(await db.query.posts.findFirst({ with: { author: true, comments: true } })).toEqualTypeOf<
      { id: number; authorId: number; title: string; publishedAt: Date | null; author: User; comments: Comment[] } | undefined
    >();
  });
});

describe('prepare', () => {
  it('execute() resolves to the same result type', async () => {
    const many = db.query.users
      .findMany({ columns: { id: true }, with: { inviter: { columns: { name: true } } }, limit: sql.placeholder('n') })
      .prepare('users_with_inviter');
    expectTypeOf(await many.execute({ n: 5 })).toEqualTypeOf<{ id: number; inviter: { name: string } | null }[]>();

    const first = db.query.comments.findFirst({ with: { post: { columns: { title: true } } } }).prepare('first_comment');
    expectTypeOf(await first.execute()).toEqualTypeOf<{ id: number; postId: number; authorId: number | null; body: string; post: { title: string } } | undefined>();
  });
});

describe('refused configs', () => {
  it('unknown relations, columns and options', () => {
    // @ts-expect-error users has no relation 'followers'
    void db.query.users.findMany({ with: { profile: true, followers: true } });
    // @ts-expect-error posts has no relation 'likes', also when nested
    void db.query.users.findMany({ with: { posts: { with: { author: true, likes: true } } } });
    // @ts-expect-error users has no column 'email'
    void db.query.users.findMany({ columns: { name: true, email: true } });
    // @ts-expect-error posts has no column 'body', also in a relation's columns
    void db.query.users.findMany({ with: { posts: { columns: { body: true } } } });
    // @ts-expect-error there is no table 'likes'
    void db.query.likes;
  });

  it('where, orderBy and limit only on many relations', () => {
    // @ts-expect-error a one relation takes no where
    void db.query.users.findMany({ with: { profile: { columns: { bio: true }, where: eq(schema.profiles.id, 1) } } });
    // @ts-expect-error a one relation takes no limit
    void db.query.posts.findMany({ with: { author: { limit: 1 } } });
  });

  it('offset only at the root, limit not on findFirst', () => {
    // @ts-expect-error offset is allowed at the root only, not in a nested many relation
    void db.query.users.findMany({ with: { posts: { limit: 2, offset: 1 } } });
    // @ts-expect-error findFirst fixes the limit
    void db.query.users.findFirst({ limit: 2 });
  });
});
