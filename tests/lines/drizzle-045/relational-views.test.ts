/**
 * Views and relational queries v1 on Drizzle 0.45: `relations()` takes tables only and Drizzle drops a view's
 * relations silently, so drizzle-cratedb refuses them when the database is made, and `db.query.<view>` says why
 * instead of being undefined. Nothing is sent.
 */
import { relations } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateArgumentError, crateView, drizzle } from 'drizzle-cratedb';
import { blogTables } from '../../fixtures/blog-tables.js';
import { expectCrateSql } from '../../support/grammar.js';
import { startProtocolServer, type ProtocolServer } from '../../support/protocol-server.js';

const tables = blogTables();
const authors = crateView('authors').as((qb) => qb.select({ id: tables.users.id, name: tables.users.name }).from(tables.users));

let server: ProtocolServer;
beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await server.close();
});

describe('views in relational queries (drizzle 0.45)', () => {
  it('relations() on a view, or to one, is refused with a CrateArgumentError when the database is made', () => {
    const onView = relations(authors as never, ({ many }) => ({ posts: many(tables.posts) }));
    expect(() => drizzle({ connection: server.url, schema: { ...tables, authors, onView } })).toThrow(CrateArgumentError);
    expect(() => drizzle({ connection: server.url, schema: { ...tables, authors, onView } })).toThrow(
      /"onView" declares relations\(\) on view "authors"\. drizzle-orm 0\.45's relational queries \(relations\(\)\) take tables only/,
    );
    const toView = relations(tables.users, ({ one }) => ({ author: one(authors as never, { fields: [tables.users.id], references: [tables.users.id] } as never) }));
    expect(() => drizzle({ connection: server.url, schema: { ...tables, authors, toView } })).toThrow(/relation "author" of "toView" points to view "authors"/);
    expect(server.requests).toEqual([]);
  });

  it('db.query.<view> refuses with advice; a schema holding a view otherwise works as before', () => {
    const db = drizzle({ connection: server.url, schema: { ...tables, authors } });
    const query = db.query as unknown as Record<string, { findMany(): unknown; findFirst(): unknown }>;
    expect(() => query['authors']!.findMany()).toThrow(/db\.query\.authors: "authors" is a view\. .*db\.select\(\)\.from\(view\)/);
    expect(() => query['authors']!.findFirst()).toThrow(CrateArgumentError);
    const users = db.query.users.findMany().toSQL().sql;
    expect(users).toMatch(/^select .* from "users"/);
    expectCrateSql(users);
    expect(server.requests).toEqual([]);
  });
});
