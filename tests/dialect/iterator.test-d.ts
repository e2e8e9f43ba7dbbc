/**
 * Compile-time types of streaming reads: `.iterator()` on a select builder yields the row type the same builder
 * resolves to with `await`, and `db.iterator()` yields the row type it is given. Shapes are written out by hand.
 * `.iterator()` is a member of drizzle-cratedb's selects only, not of drizzle-orm's pg-core selects.
 */
import { eq, sql } from 'drizzle-orm';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import { describe, expectTypeOf, it } from 'vitest';
import { crateTable, drizzle, integer, text, timestamp, type CrateSelect, type IteratorOptions } from 'drizzle-cratedb';

const owners = crateTable('owners', { id: integer().primaryKey(), name: text() });
const pets = crateTable('pets', { id: integer().primaryKey(), nickname: text(), ownerId: integer('owner_id'), born: timestamp({ mode: 'string' }) });
const db = drizzle({ connection: 'http://127.0.0.1:4200' });

type Pet = { id: number; nickname: string | null; ownerId: number | null; born: string | null };

describe('.iterator()', () => {
  it('yields the rows of a whole-table select', () => {
    const rows = db.select().from(pets).where(eq(pets.id, 1)).iterator({ batchSize: 100 });
    expectTypeOf(rows).toEqualTypeOf<AsyncIterable<Pet>>();
  });

  it('yields partial selections and left joins typed as execute() types them', () => {
    expectTypeOf(db.select({ id: pets.id, n: sql<number>`1` }).from(pets).iterator()).toEqualTypeOf<AsyncIterable<{ id: number; n: number }>>();
    const joined = db.select().from(owners).leftJoin(pets, eq(pets.ownerId, owners.id)).orderBy(owners.id).limit(10).iterator();
    expectTypeOf(joined).toEqualTypeOf<AsyncIterable<{ owners: { id: number; name: string | null }; pets: Pet | null }>>();
  });

  it('takes only its own options', () => {
    expectTypeOf(db.select().from(pets).iterator).parameter(0).toEqualTypeOf<IteratorOptions | undefined>();
    // @ts-expect-error unknown option
    db.select().from(pets).iterator({ batch: 10 });
  });
});

describe('.iterator() through every clause and entry point of a drizzle-cratedb database', () => {
  it('stays after $dynamic(), in with(...).select() and selectDistinct()', () => {
    expectTypeOf(db.select().from(pets).$dynamic().where(eq(pets.id, 1)).offset(2).iterator()).toEqualTypeOf<AsyncIterable<Pet>>();
    const named = db.$with('named').as(db.select({ id: pets.id }).from(pets));
    expectTypeOf(db.with(named).select().from(named).where(eq(named.id, 1)).iterator()).toEqualTypeOf<AsyncIterable<{ id: number }>>();
    expectTypeOf(db.selectDistinct({ name: owners.name }).from(owners).orderBy(owners.name).iterator()).toEqualTypeOf<AsyncIterable<{ name: string | null }>>();
  });

  it('stays on a select passed through a helper typed with CrateSelect', () => {
    const firstTen = <T extends CrateSelect>(query: T) => query.limit(10);
    expectTypeOf(firstTen(db.select().from(pets).$dynamic()).iterator()).toEqualTypeOf<AsyncIterable<Pet>>();
  });
});

describe("drizzle-orm's own pg-core selects", () => {
  const postgres = pgDrizzle({ connection: 'postgres://127.0.0.1:5432/unused' });

  it('have no .iterator(), though drizzle-cratedb is imported', () => {
    expectTypeOf(postgres.select().from(pets)).not.toHaveProperty('iterator');
    expectTypeOf(postgres.select().from(pets).where(eq(pets.id, 1)).$dynamic()).not.toHaveProperty('iterator');
    expectTypeOf(new QueryBuilder().select().from(pets)).not.toHaveProperty('iterator');
    // @ts-expect-error .iterator() is drizzle-cratedb's, not node-postgres's
    void postgres.select().from(pets).iterator();
  });

  it('while a drizzle-cratedb select has it', () => {
    expectTypeOf(db.select().from(pets)).toHaveProperty('iterator');
    expectTypeOf(db.select().from(pets).where(eq(pets.id, 1))).toHaveProperty('iterator');
  });
});

describe('db.iterator()', () => {
  it('yields Record<string, unknown> unless told the row type', () => {
    expectTypeOf(db.iterator(sql`SELECT 1 AS n`)).toEqualTypeOf<AsyncIterable<Record<string, unknown>>>();
    expectTypeOf(db.iterator<{ n: number }>(sql`SELECT 1 AS n`)).toEqualTypeOf<AsyncIterable<{ n: number }>>();
  });
});
