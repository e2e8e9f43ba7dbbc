import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { crateTable, drizzle, integer, object, text, timestamp } from 'drizzle-cratedb';
import { recordingClient } from '../../support/recording-client.js';

describe('smoke v1', () => {
  it('builds and runs', async () => {
    const t = crateTable('t', { id: text().primaryKey(), n: integer(), o: object({ columns: { a: text() } }), at: timestamp({ mode: 'string' }) });
    const { client, calls } = recordingClient(() => ({ cols: ['id', 'n', 'o', 'at'], rows: [['x', 1, { a: 'b' }, new Date(0)]], rowCount: 1 }));
    const db = drizzle({ client });
    const rows = await db.select().from(t).where(eq(t.id, 'x'));
    expect(rows).toEqual([{ id: 'x', n: 1, o: { a: 'b' }, at: '1970-01-01T00:00:00.000' }]);
    await db.insert(t).values({ id: 'y', n: 2 });
    expect(calls.map((c) => c.stmt)).toEqual(['select "id", "n", "o", "at" from "t" where "t"."id" = $1', 'insert into "t" ("id", "n") values ($1, $2)']);
    expect(() => db.insert(t).values({ id: 'z', n: 1.5 }).toSQL()).toThrow(/not a whole number/);
    void sql;
  });
});
