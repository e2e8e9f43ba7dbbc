/**
 * drizzle-cratedb/v1/seed with `defineRelations` on Drizzle v1: drizzle-seed 1.x fills the side of a relation that
 * points at a primary key (and a junction's columns) from the other table's rows, and the package leaves those
 * columns to it.
 */
import { defineRelations } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crateTable, createTables, drizzle, dropTables, integer, text, type CrateDB } from 'drizzle-cratedb/v1';
import { seed } from 'drizzle-cratedb/v1/seed';
import { describeCrate, testClient, uniqueName } from '../../support/crate.js';

describeCrate('drizzle-cratedb/v1/seed with relations', () => {
  const authors = crateTable(uniqueName('authors'), { id: integer().primaryKey(), name: text().notNull() });
  const posts = crateTable(uniqueName('posts'), { id: text().primaryKey(), authorId: integer('author_id').notNull(), title: text() });
  const schema = { authors, posts };
  const relations = defineRelations(schema, (r) => ({
    authors: { posts: r.many.posts({ from: r.authors.id, to: r.posts.authorId }) },
    posts: { author: r.one.authors({ from: r.posts.authorId, to: r.authors.id }) },
  }));
  let db: CrateDB<typeof relations>;

  beforeAll(async () => {
    db = drizzle({ client: testClient(), relations });
    await createTables(db, [authors, posts]);
  });
  afterAll(async () => {
    await dropTables(db, [authors, posts]);
    await db.$client.close();
  });

  it("children point at their parents' keys, as many per parent as `with` asks", async () => {
    await seed(db, schema, { seed: 5 }).refine(() => ({ authors: { count: 4, with: { posts: 3 } } }));
    const authorIds = (await db.select().from(authors)).map((row) => row.id).sort();
    const postRows = await db.select().from(posts);
    expect(authorIds).toHaveLength(4);
    expect(postRows).toHaveLength(12);
    const perAuthor = new Map<number, number>();
    for (const row of postRows) perAuthor.set(row.authorId, (perAuthor.get(row.authorId) ?? 0) + 1);
    expect([...perAuthor.keys()].sort()).toEqual(authorIds);
    expect([...perAuthor.values()]).toEqual([3, 3, 3, 3]);
  });
});
