/**
 * drizzle-cratedb/seed with legacy relations on drizzle-orm 0.45: drizzle-seed fills a `one()` relation's fields from
 * the parent's rows (`with` makes that many children per parent), and the package leaves those columns to it.
 */
import { relations } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crateTable, createTables, drizzle, dropTables, integer, text, type CrateDB } from 'drizzle-cratedb';
import { seed } from 'drizzle-cratedb/seed';
import { describeCrate, testClient, uniqueName } from '../../support/crate.js';

describeCrate('drizzle-cratedb/seed with relations on drizzle-orm 0.45', () => {
  const authors = crateTable(uniqueName('authors'), { id: integer().primaryKey(), name: text().notNull() });
  const posts = crateTable(uniqueName('posts'), { id: text().primaryKey(), authorId: integer('author_id').notNull(), title: text() });
  const authorsRelations = relations(authors, ({ many }) => ({ posts: many(posts) }));
  const postsRelations = relations(posts, ({ one }) => ({ author: one(authors, { fields: [posts.authorId], references: [authors.id] }) }));
  let db: CrateDB;

  beforeAll(async () => {
    db = drizzle({ client: testClient() });
    await createTables(db, [authors, posts]);
  });
  afterAll(async () => {
    await dropTables(db, [authors, posts]);
    await db.$client.close();
  });

  it("children point at their parents' keys, as many per parent as `with` asks", async () => {
    await seed(db, { authors, posts, authorsRelations, postsRelations }, { seed: 5 }).refine(() => ({ authors: { count: 4, with: { posts: 3 } } }));
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
