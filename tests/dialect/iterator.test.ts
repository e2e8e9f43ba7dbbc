/**
 * Streaming selects on both lines against the in-process protocol server (tests/support/cursor-server.ts keeps
 * cursors per connection as CrateDB does): `.iterator()` yields the rows `execute()` returns, mapped the same way.
 * `.iterator()` belongs to the selects of a drizzle-cratedb database only: importing drizzle-cratedb leaves the
 * selects of drizzle-orm's own pg-core databases as they are.
 */
import { eq, is, sql } from 'drizzle-orm';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import * as pgCore from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ColTypeId, CrateArgumentError, CrateClient, crateTable, drizzle, integer, text, timestamp } from 'drizzle-cratedb';
import { cursorHandler } from '../support/cursor-server.js';
import { onLine } from '../support/lines.js';
import { expectCrateSql } from '../support/grammar.js';
import { replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

const owners = crateTable('owners', { id: integer().primaryKey(), name: text() });
const pets = crateTable('pets', { id: integer().primaryKey(), nickname: text(), ownerId: integer('owner_id'), born: timestamp({ mode: 'string', withTimezone: true }) });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serving(cols: string[], colTypes: unknown[], rows: unknown[][]) {
  const crate = await startProtocolServer();
  cleanups.push(() => crate.close());
  const state = cursorHandler({ cols, colTypes, rows }, () => replies.rows(cols, colTypes, rows));
  crate.handle(state.handler);
  const logged: { query: string; params: unknown[] }[] = [];
  const client = new CrateClient(crate.url);
  cleanups.push(() => client.close());
  const db = drizzle({ client, logger: { logQuery: (query, params) => void logged.push({ query, params }) } });
  return { crate, state, db, logged };
}

const declares = (crate: ProtocolServer) => crate.requests.filter((request) => request.stmt?.startsWith('DECLARE'));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const rows: T[] = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

describe('select().iterator()', () => {
  const petRows = Array.from({ length: 150 }, (_, i) => [i, i % 4 === 0 ? null : `pet ${i}`, i % 5, i % 7 === 0 ? null : 1_700_000_000_000 + i]);
  const petTypes = [ColTypeId.INTEGER, ColTypeId.TEXT, ColTypeId.INTEGER, ColTypeId.TIMESTAMP_TZ];

  it('yields the rows execute() returns, batch by batch through one cursor', async () => {
    const { crate, db } = await serving(['id', 'nickname', 'owner_id', 'born'], petTypes, petRows);
    const query = db.select().from(pets).where(eq(pets.ownerId, 2));
    const streamed = await collect(query.iterator({ batchSize: 70 }));
    const executed = await query;
    expect(streamed).toHaveLength(150);
    expect(streamed).toEqual(executed);
    // timestamp({ mode: 'string' }) is mapped by the column, as in execute().
    expect(streamed[1]!.born).toBe(new Date(1_700_000_000_001).toISOString());
    const [declare] = declares(crate);
    expect(declare!.stmt).toMatch(/^DECLARE "drizzle_cratedb_cursor_[0-9a-f]+" NO SCROLL CURSOR WITH HOLD FOR select /);
    expect(declare!.json!.args).toEqual([2]);
    for (const stmt of crate.statements()) expectCrateSql(stmt);
    expect(crate.statements().filter((stmt) => stmt.startsWith('FETCH 70 FROM'))).toHaveLength(3);
  });

  it('nests joined tables like execute(), a left-joined table without a match becoming null', async () => {
    const rows = [
      [1, 'Ann', 10, 'Rex', 1, null],
      [2, 'Bob', null, null, null, null],
      [3, 'Cy', 11, null, 3, 1_700_000_000_000],
    ];
    const types = [ColTypeId.INTEGER, ColTypeId.TEXT, ColTypeId.INTEGER, ColTypeId.TEXT, ColTypeId.INTEGER, ColTypeId.TIMESTAMP_TZ];
    const { db } = await serving(['id', 'name', 'id', 'nickname', 'owner_id', 'born'], types, rows);
    const query = db.select().from(owners).leftJoin(pets, eq(pets.ownerId, owners.id));
    const streamed = await collect(query.iterator({ batchSize: 2 }));
    expect(streamed).toEqual(await query);
    expect(streamed[1]).toEqual({ owners: { id: 2, name: 'Bob' }, pets: null });
  });

  it('fills sql.placeholder() values from options.placeholders, and logs the query', async () => {
    const { crate, db, logged } = await serving(['id'], [ColTypeId.INTEGER], [[7]]);
    const rows = await collect(db.select({ id: pets.id }).from(pets).where(eq(pets.id, sql.placeholder('id'))).iterator({ placeholders: { id: 7 } }));
    expect(rows).toEqual([{ id: 7 }]);
    expect(declares(crate)[0]!.json!.args).toEqual([7]);
    expect(logged).toEqual([{ query: expect.stringMatching(/^select "id" from "pets" where "pets"\."id" = \$1$/), params: [7] }]);
  });

  it('closes the cursor when the loop breaks', async () => {
    const { crate, state, db } = await serving(['id', 'nickname', 'owner_id', 'born'], petTypes, petRows);
    for await (const row of db.select().from(pets).iterator({ batchSize: 10 })) {
      expect(row.id).toBe(0);
      break;
    }
    expect(crate.statements().at(-1)).toMatch(/^CLOSE "drizzle_cratedb_cursor_/);
    expect([...state.open.values()].every((cursors) => cursors.size === 0)).toBe(true);
  });

  it('stops at the next row when the signal aborts, closing the cursor', async () => {
    const { crate, state, db } = await serving(['id', 'nickname', 'owner_id', 'born'], petTypes, petRows);
    const controller = new AbortController();
    const reason = new Error('enough');
    const seen: number[] = [];
    const loop = (async () => {
      for await (const row of db.select().from(pets).iterator({ batchSize: 50, signal: controller.signal })) {
        seen.push(row.id);
        if (row.id === 3) controller.abort(reason);
      }
    })();
    await expect(loop).rejects.toBe(reason);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(crate.statements().at(-1)).toMatch(/^CLOSE /);
    expect([...state.open.values()].every((cursors) => cursors.size === 0)).toBe(true);
  });

  it('refuses a WITH query (CrateDB DECLARE takes SELECT or VALUES) before sending anything', async () => {
    const { crate, db } = await serving(['id'], [ColTypeId.INTEGER], []);
    const named = db.$with('named').as(db.select({ id: pets.id }).from(pets));
    const iteration = collect(db.with(named).select().from(named).iterator());
    await expect(iteration).rejects.toThrow(CrateArgumentError);
    await expect(iteration).rejects.toThrow(/not WITH/);
    expect(crate.requests.filter((request) => request.path === '/_sql')).toHaveLength(0);
  });
});

describe('db.iterator(sql)', () => {
  it('yields rows as objects keyed by column name, decoded as db.execute() decodes them', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [i, 1_700_000_000_000 + i]);
    const { crate, db } = await serving(['n', 'at'], [ColTypeId.INTEGER, ColTypeId.TIMESTAMP_TZ], rows);
    const streamed = await collect(db.iterator<{ n: number; at: Date }>(sql`SELECT n, at FROM t WHERE n < ${10}`, { batchSize: 2 }));
    const executed = await db.execute(sql`SELECT n, at FROM t WHERE n < ${10}`);
    expect(streamed).toEqual(executed.rows);
    expect(streamed[0]!.at).toBeInstanceOf(Date);
    expect(declares(crate)[0]!.json!.args).toEqual([10]);
  });

  it('refuses a statement that is not a query', async () => {
    const { db } = await serving([], [], []);
    await expect(collect(db.iterator(sql`DELETE FROM t`))).rejects.toThrow(/DELETE is not one/);
  });
});

describe('.iterator() is on the selects of a drizzle-cratedb database only', () => {
  /** Every object of a builder's prototype chain that has an own `iterator`. */
  const iteratorOwners = (builder: object) => {
    const owners: string[] = [];
    for (let proto = Object.getPrototypeOf(builder); proto; proto = Object.getPrototypeOf(proto)) {
      if (Object.hasOwn(proto, 'iterator')) owners.push(proto.constructor.name);
    }
    return owners;
  };

  it("leaves drizzle-orm's pg-core classes, and a node-postgres database's selects, as drizzle-orm made them", async () => {
    const { db } = await serving(['id'], [ColTypeId.INTEGER], [[1]]);
    // A CrateDB select is made, and iterated, first: nothing it does may reach the other database.
    expect(await collect(db.select({ id: pets.id }).from(pets).iterator())).toEqual([{ id: 1 }]);

    const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/unused' });
    cleanups.push(() => pool.end());
    const postgres = pgDrizzle({ client: pool });
    const selects = {
      select: postgres.select().from(pets).where(eq(pets.id, 1)),
      selectDistinct: postgres.selectDistinct().from(pets),
      with: postgres.with(postgres.$with('named').as(postgres.select().from(pets))).select().from(pets),
      queryBuilder: new pgCore.QueryBuilder().select().from(pets),
    };
    for (const [name, select] of Object.entries(selects)) {
      expect({ name, iterator: 'iterator' in select, owners: iteratorOwners(select) }).toEqual({ name, iterator: false, owners: [] });
    }
    // The classes a node-postgres select is made of on each line: none has an own iterator.
    const classes = pgCore as unknown as Record<string, { prototype: object } | undefined>;
    for (const name of onLine({ '0.45': ['PgSelectBase'], v1: ['PgSelectBase', 'PgAsyncSelectBase'] })) {
      expect({ name, own: Object.hasOwn(classes[name]!.prototype, 'iterator') }).toEqual({ name, own: false });
    }
    expect(selects.select.toSQL().sql).toBe('select "id", "nickname", "owner_id", "born" from "pets" where "pets"."id" = $1');
  });

  it('a drizzle-cratedb select keeps .iterator() through every clause, and is still a pg-core select', async () => {
    const { db } = await serving(['id'], [ColTypeId.INTEGER], []);
    const named = db.$with('named').as(db.select({ id: pets.id }).from(pets));
    const builders = {
      select: db.select().from(pets),
      chained: db.select().from(pets).where(eq(pets.id, 1)).orderBy(pets.id).limit(5).offset(2),
      dynamic: db.select().from(pets).$dynamic().where(eq(pets.id, 1)).limit(1),
      joined: db.select().from(owners).leftJoin(pets, eq(pets.ownerId, owners.id)),
      union: db.select({ id: pets.id }).from(pets).union(db.select({ id: owners.id }).from(owners)),
      selectDistinct: db.selectDistinct().from(pets),
      // Refused when built (CrateDB has no DISTINCT ON), but made like the others.
      selectDistinctOn: db.selectDistinctOn([pets.id]).from(pets),
      with: db.with(named).select().from(named),
      withDistinct: db.with(named).selectDistinct().from(named),
    };
    for (const [name, builder] of Object.entries(builders)) {
      expect({ name, iterator: typeof builder.iterator, pgSelect: is(builder, pgCore.PgSelectBase), own: Object.hasOwn(builder, 'iterator') }).toEqual({
        name,
        iterator: 'function',
        pgSelect: true,
        own: false,
      });
    }
  });
});
