/** Queries on UUID columns: what CrateDB refuses is refused with advice, and `inArray` lists come in an order CrateDB takes. */
import { between, count, countDistinct, eq, gt, gte, inArray, lt, lte, max, min, ne, notBetween, notInArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { crateTable, CrateUnsupportedError, CrateValueError, drizzle, integer, text, uuid } from 'drizzle-cratedb';
import { uuidIndexKey } from '../../src/dialect/uuid-guards.js';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';

const things = crateTable('things', { id: uuid().primaryKey(), other: uuid(), name: text(), n: integer() });
const db = drizzle({ client: recordingClient().client });
const A = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
const B = '00000000-0000-0000-0000-00000000000a';
const C = '80000000-0000-0000-0000-000000000000';

describe('uuid comparisons CrateDB refuses', () => {
  const value = '7c2e2a0b-1a4f-4c1e-9a36-2f1b6c3c8d10';
  it.each([
    ['<', () => lt(things.id, value)],
    ['>', () => gt(things.other, value)],
    ['<=', () => lte(things.id, value)],
    ['>=', () => gte(things.id, value)],
    ['BETWEEN', () => between(things.id, value, value)],
    ['NOT BETWEEN', () => notBetween(things.id, value, value)],
  ])('%s is refused with advice before sending', (operator, condition) => {
    const query = db.select().from(things).where(condition());
    expect(() => query.toSQL()).toThrow(CrateUnsupportedError);
    expect(() => query.toSQL()).toThrow(new RegExp(`${operator} on the UUID column "${things.id === things.id ? '' : ''}`));
  });

  it('refuses min, max and count(distinct) on a uuid', () => {
    expect(() => db.select({ m: min(things.id) }).from(things).toSQL()).toThrow(/min\(\) on the UUID column "id"/);
    expect(() => db.select({ m: max(things.other) }).from(things).toSQL()).toThrow(/max\(\) on the UUID column "other"/);
    expect(() => db.select({ m: countDistinct(things.id) }).from(things).toSQL()).toThrow(/count\(distinct\) on the UUID column/);
  });

  it('refuses a cast to text, pointing at format()', () => {
    expect(() => db.select({ t: sql`${things.id}::text` }).from(things).toSQL()).toThrow(/format\('%s'/);
  });

  it('leaves equality, <>, count and other columns alone', () => {
    const query = db
      .select({ c: count(things.id) })
      .from(things)
      .where(sql`${eq(things.id, A)} and ${ne(things.other, B)} and ${lt(things.n, 3)}`)
      .toSQL();
    expectCrateSql(query.sql);
    expect(query.params).toEqual([A, B, 3]);
  });

  it('refuses an invalid uuid in a condition, naming the column', () => {
    expect(() => db.select().from(things).where(eq(things.id, '1-2-3-4-5')).toSQL()).toThrow(CrateValueError);
    expect(() => db.select().from(things).where(eq(things.id, '1-2-3-4-5')).toSQL()).toThrow(/"things"."id"/);
  });
});

describe('inArray on a uuid column', () => {
  it('sends the values in the order of the index, whatever order they were given in', () => {
    for (const values of [[A, B, C], [C, B, A], [B, A, C]]) {
      const query = db.select().from(things).where(inArray(things.other, values)).toSQL();
      expectCrateSql(query.sql);
      expect(query.params).toEqual([B, C, A]);
    }
    expect([B, C, A].map(uuidIndexKey)).toEqual([...[B, C, A].map(uuidIndexKey)].sort());
  });

  it('sorts notInArray too', () => {
    const query = db.select().from(things).where(notInArray(things.id, [A, B])).toSQL();
    expect(query.params).toEqual([B, A]);
  });

  it('turns placeholders into a chain of equalities, which CrateDB takes in any order', () => {
    const query = db
      .select()
      .from(things)
      .where(inArray(things.id, [sql.placeholder('a'), sql.placeholder('b')]))
      .toSQL();
    expectCrateSql(query.sql);
    expect(query.sql).toMatch(/\("things"\."id" = \$1 or "things"\."id" = \$2\)/);
    const negated = db
      .select()
      .from(things)
      .where(notInArray(things.id, [sql.placeholder('a'), sql.placeholder('b')]))
      .toSQL();
    expect(negated.sql).toMatch(/\("things"\."id" <> \$1 and "things"\."id" <> \$2\)/);
  });

  it('leaves inArray on other columns as it was given', () => {
    expect(db.select().from(things).where(inArray(things.name, ['b', 'a'])).toSQL().params).toEqual(['b', 'a']);
  });
});
