/**
 * Casing on Drizzle v1: as in v1's pg-core, casing belongs to the table (`snakeCase.table`, `camelCase.table`), and
 * `drizzle()` has no casing option. Arrays nest with `.array('[][]')`.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { camelCase, crateTable, doublePrecision, drizzle, excluded, getCreateTableSql, integer, object, snakeCase, text } from 'drizzle-cratedb';
import { expectCrateSql } from '../../support/grammar.js';
import { recordingClient } from '../../support/recording-client.js';

describe('casing on Drizzle v1', () => {
  it('snakeCase.table names columns after their keys in snake_case, keeping explicit names', () => {
    const { client } = recordingClient();
    const db = drizzle({ client });
    const table = snakeCase.table('people', { firstName: text(), id: text().primaryKey(), LastSeen: text('LastSeen') });
    expect(db.select().from(table).toSQL().sql).toBe('select "first_name", "id", "LastSeen" from "people"');
    const camel = camelCase.table('people', { first_name: text() });
    expect(db.select().from(camel).toSQL().sql).toBe('select "firstName" from "people"');
  });

  it('drizzle({ casing }) is refused with where casing went', () => {
    const { client } = recordingClient();
    expect(() => drizzle({ client, casing: 'snake_case' } as never)).toThrow(/casing belongs to the table: snakeCase\.table/);
  });

  it('excluded() writes the column name the table gives it', () => {
    const { client } = recordingClient();
    const people = snakeCase.table('people', { id: text().primaryKey(), visitCount: integer() });
    const built = drizzle({ client })
      .insert(people)
      .values({ id: 'a', visitCount: 1 })
      .onConflictDoUpdate({ target: people.id, set: { visitCount: sql`${people.visitCount} + ${excluded(people.visitCount)}` } })
      .toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toBe(
      `insert into "people" ("id", "visit_count") values ($1, $2) on conflict ("id") do update set "visit_count" = "visit_count" + excluded."visit_count"`,
    );
  });

  it('DDL names top-level columns in the table casing, not object keys', () => {
    const table = snakeCase.table('people', { firstName: text(), homeAddress: object({ columns: { zipCode: text() } }) });
    const statement = getCreateTableSql(table);
    expect(statement).toContain('"first_name" TEXT');
    expect(statement).toContain('"home_address" OBJECT(STRICT) AS ("zipCode" TEXT)');
  });

  it("nests arrays with .array('[][]')", () => {
    expect(getCreateTableSql(crateTable('t', { c: doublePrecision().array('[][]') }))).toContain('"c" ARRAY(ARRAY(DOUBLE PRECISION))');
  });
});
