/** The result types of relational queries v2 on drizzle-cratedb/v1 are drizzle v1's own. */
import { describe, expectTypeOf, it } from 'vitest';
import { defineRelations } from 'drizzle-orm';
import { crateView, drizzle } from 'drizzle-cratedb';
import { blogSchema } from './blog.js';

const { relations } = blogSchema();
const db = drizzle({ connection: 'http://localhost:4200', relations });

describe('relational query result types on Drizzle v1', () => {
  it('columns, nested relations and extras', async () => {
    const result = await db.query.users.findMany({
      columns: { id: true, name: true },
      extras: { shout: (t, { sql }) => sql<string>`upper(${t.name})` },
      with: { posts: { columns: { title: true }, with: { comments: { columns: { body: true } } } }, profile: true },
    });
    expectTypeOf(result).toEqualTypeOf<
      {
        id: number;
        name: string;
        shout: string;
        posts: { title: string; comments: { body: string }[] }[];
        profile: { id: number; userId: number; bio: string | null; settings: { theme?: string | null } | null } | null;
      }[]
    >();
  });

  it('optional: false makes a one-relation non-null; findFirst may find nothing', async () => {
    const post = await db.query.posts.findFirst({ columns: { id: true }, with: { author: { columns: { name: true } }, publishedAuthor: { columns: { name: true } } } });
    expectTypeOf(post).toEqualTypeOf<{ id: number; author: { name: string }; publishedAuthor: { name: string } | null } | undefined>();
  });

  it('many-to-many through a junction, and bigint columns in relations', async () => {
    const tags = await db.query.tags.findMany({ with: { posts: { columns: { id: true }, with: { author: { columns: { karma: true } } } } } });
    expectTypeOf(tags).toEqualTypeOf<{ id: number; label: string; posts: { id: number; author: { karma: bigint | null } }[] }[]>();
  });

  it('where and orderBy are typed by the table and its relations', () => {
    // @ts-expect-error: not a column or relation of users
    db.query.users.findMany({ where: { nope: 1 } });
    // @ts-expect-error: limit exists on many-relations only
    db.query.posts.findMany({ with: { author: { limit: 1 } } });
    db.query.users.findMany({ where: { posts: { title: { like: '%' } } }, orderBy: { posts: 'desc(count)' } });
  });
});

describe('relational queries over a crateView on Drizzle v1', () => {
  it('a view is typed by its selected fields, and relations to it by the target view', async () => {
    const { tables } = blogSchema();
    const authors = crateView('authors').as((qb) => qb.select({ id: tables.users.id, name: tables.users.name }).from(tables.users));
    const viewDb = drizzle({
      connection: 'http://localhost:4200',
      relations: defineRelations({ ...tables, authors }, (r) => ({
        authors: { posts: r.many.posts({ from: r.authors.id, to: r.posts.authorId }) },
        posts: { writer: r.one.authors({ from: r.posts.authorId, to: r.authors.id }) },
      })),
    });
    const rows = await viewDb.query.authors.findMany({ with: { posts: { columns: { title: true } } } });
    expectTypeOf(rows).toEqualTypeOf<{ id: number; name: string; posts: { title: string }[] }[]>();
    const post = await viewDb.query.posts.findFirst({ columns: { id: true }, with: { writer: { columns: { name: true } } } });
    expectTypeOf(post).toEqualTypeOf<{ id: number; writer: { name: string } | null } | undefined>();
  });
});
