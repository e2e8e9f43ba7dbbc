/**
 * Compile-time types of streaming reads: `.iterator()` on a select builder yields the row type the same builder
 * resolves to with `await`, and `db.iterator()` yields the row type it is given. Shapes are written out by hand.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expectTypeOf, it } from 'vitest';
import { crateTable, drizzle, integer, text, timestamp, type IteratorOptions } from 'drizzle-cratedb';

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

describe('db.iterator()', () => {
  it('yields Record<string, unknown> unless told the row type', () => {
    expectTypeOf(db.iterator(sql`SELECT 1 AS n`)).toEqualTypeOf<AsyncIterable<Record<string, unknown>>>();
    expectTypeOf(db.iterator<{ n: number }>(sql`SELECT 1 AS n`)).toEqualTypeOf<AsyncIterable<{ n: number }>>();
  });
});
