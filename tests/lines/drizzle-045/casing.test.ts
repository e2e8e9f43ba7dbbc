/** Casing on Drizzle 0.45: `drizzle({ casing })` names columns after their keys; DDL takes the same option. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { crateTable, doublePrecision, drizzle, excluded, getCreateTableSql, integer, object, text } from 'drizzle-cratedb';
import { expectCrateSql } from '../../support/grammar.js';
import { recordingClient } from '../../support/recording-client.js';

describe('casing on Drizzle 0.45', () => {
  it('applies casing to column names', () => {
    const { client } = recordingClient();
    const db = drizzle({ client, casing: 'snake_case' });
    const table = crateTable('people', { firstName: text(), id: text().primaryKey() });
    expect(db.select().from(table).toSQL().sql).toBe('select "first_name", "id" from "people"');
  });

  it('excluded() follows the casing of the database', () => {
    const { client } = recordingClient();
    const people = crateTable('people', { id: text().primaryKey(), visitCount: integer() });
    const cased = drizzle({ client, casing: 'snake_case' });
    const built = cased
      .insert(people)
      .values({ id: 'a', visitCount: 1 })
      .onConflictDoUpdate({ target: people.id, set: { visitCount: sql`${people.visitCount} + ${excluded(people.visitCount)}` } })
      .toSQL();
    expectCrateSql(built.sql);
    expect(built.sql).toBe(
      `insert into "people" ("id", "visit_count") values ($1, $2) on conflict ("id") do update set "visit_count" = "visit_count" + excluded."visit_count"`,
    );
  });

  it('applies casing to top-level column names in DDL, but not to object keys', () => {
    const table = crateTable('people', { firstName: text(), homeAddress: object({ columns: { zipCode: text() } }) });
    const statement = getCreateTableSql(table, { casing: 'snake_case' });
    expect(statement).toContain('"first_name" TEXT');
    expect(statement).toContain('"home_address" OBJECT(STRICT) AS ("zipCode" TEXT)');
  });

  it('nests arrays with .array().array()', () => {
    expect(getCreateTableSql(crateTable('t', { c: doublePrecision().array().array() }))).toContain('"c" ARRAY(ARRAY(DOUBLE PRECISION))');
  });
});
