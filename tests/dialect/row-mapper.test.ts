import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { crateTable, drizzle, integer, text, timestamp } from 'drizzle-cratedb';
import { recordingClient } from '../support/recording-client.js';

const owners = crateTable('owners', { id: integer().primaryKey(), name: text() });
const pets = crateTable('pets', { id: integer().primaryKey(), nickname: text(), ownerId: integer('owner_id'), born: timestamp({ mode: 'string', withTimezone: true }) });

function dbAnswering(rows: unknown[][]) {
  const { client } = recordingClient(() => ({ rows, rowCount: rows.length }));
  return drizzle({ client });
}

describe('row mapping', () => {
  it('maps flat selections, decoding only what needs it', async () => {
    const db = dbAnswering([[1, 'Rex', 1, new Date(0)], [2, null, null, null]]);
    expect(await db.select().from(pets)).toEqual([
      { id: 1, nickname: 'Rex', ownerId: 1, born: '1970-01-01T00:00:00.000Z' },
      { id: 2, nickname: null, ownerId: null, born: null },
    ]);
  });

  it('nests joined tables, and a left-joined table without a match becomes null', async () => {
    const db = dbAnswering([
      [1, 'Ann', 10, 'Rex', 1, null],
      [2, 'Bob', null, null, null, null],
    ]);
    const rows = await db.select().from(owners).leftJoin(pets, eq(pets.ownerId, owners.id));
    expect(rows).toEqual([
      { owners: { id: 1, name: 'Ann' }, pets: { id: 10, nickname: 'Rex', ownerId: 1, born: null } },
      { owners: { id: 2, name: 'Bob' }, pets: null },
    ]);
  });

  it('keeps a joined row whose first column is null but which has values', async () => {
    const db = dbAnswering([[1, 'Ann', null, null, 1, new Date(0)]]);
    const rows = await db
      .select({ owner: { id: owners.id, name: owners.name }, pet: { nickname: pets.nickname, id: pets.id, ownerId: pets.ownerId, born: pets.born } })
      .from(owners)
      .leftJoin(pets, eq(pets.ownerId, owners.id));
    expect(rows[0]!.pet).toEqual({ nickname: null, id: null, ownerId: 1, born: '1970-01-01T00:00:00.000Z' });
  });

  it('maps large results with generated code to the same objects, odd keys included', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => [i, i % 3 === 0 ? null : `n${i}`, new Date(i)]);
    const db = dbAnswering(rows);
    // A computed key makes `__proto__` an own field name, which an object literal in generated code must not set.
    const result = await db.select({ 'it\'s "id"': pets.id, ['__proto__']: pets.nickname, born: pets.born } as never).from(pets);
    expect(result).toHaveLength(200);
    expect(Object.getOwnPropertyNames(result[4])).toEqual(['it\'s "id"', '__proto__', 'born']);
    expect((result[4] as unknown as Record<string, unknown>)['it\'s "id"']).toBe(4);
    expect(Object.getOwnPropertyDescriptor(result[4], '__proto__')?.value).toBe('n4');
    const normal = await dbAnswering(rows).select({ id: pets.id, nick: pets.nickname, born: pets.born }).from(pets);
    expect(normal[4]).toEqual({ id: 4, nick: 'n4', born: '1970-01-01T00:00:00.004Z' });
    expect(normal[3]).toEqual({ id: 3, nick: null, born: '1970-01-01T00:00:00.003Z' });
    expect(Object.getPrototypeOf(normal[0])).toBe(Object.prototype);
  });

  it('applies mapWith decoders of SQL fields', async () => {
    const db = dbAnswering([['7', 'x']]);
    const rows = await db.select({ n: sql`count(*)`.mapWith(Number), raw: sql<string>`'x'` }).from(pets);
    expect(rows).toEqual([{ n: 7, raw: 'x' }]);
  });
});
