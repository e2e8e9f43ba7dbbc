/**
 * The checks that stand in for CrateDB's silences, against the real server: a multi-row insert it partly refuses
 * with HTTP 200, and the identifier rules, each compared with the server's own verdict on the same name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crateErrorOf, crateTable, createTables, drizzle, dropTables, InsertRowCountError, integer, text, withOptions, type CrateDB } from 'drizzle-cratedb';
import { columnNameProblem, schemaNameProblem, tableNameProblem } from '../../src/tables/rules.js';
import { quote } from '../../src/shared/sql-text.js';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';

describeCrate('write checks on a real CrateDB', () => {
  const scores = crateTable(uniqueName('scores'), { id: text().primaryKey(), points: integer() }, () => [withOptions({ number_of_replicas: '0' })]);
  const schema = uniqueName('names');
  let db: CrateDB;

  beforeAll(async () => {
    db = drizzle({ client: testClient() });
    await createTables(db, [scores]);
  });
  afterAll(async () => {
    await dropTables(db, [scores]);
    const tables = await db.$client.sql('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    for (const [name] of tables.rows) await db.$client.sql(`DROP TABLE ${quote(schema)}.${quote(String(name))}`);
    await db.$client.close();
  });

  it('a multi-row insert CrateDB partly refuses without an error is reported, and the other rows are there', async () => {
    await db.insert(scores).values({ id: 'b', points: 0 });
    const error = await db
      .insert(scores)
      .values([
        { id: 'a', points: 1 },
        { id: 'b', points: 2 },
        { id: 'c', points: 3 },
      ])
      .then(
        () => null,
        (caught: unknown) => crateErrorOf(caught),
      );
    expect(error).toBeInstanceOf(InsertRowCountError);
    expect(error).toMatchObject({ sentRows: 3, writtenRows: 2 });
    await db.refresh(scores);
    const rows = await db.select().from(scores).orderBy(scores.id);
    expect(rows).toEqual([
      { id: 'a', points: 1 },
      { id: 'b', points: 0 },
      { id: 'c', points: 3 },
    ]);
  });

  /** Whether CrateDB creates a table with this SQL (a name it refuses fails with an error naming it). */
  async function serverAccepts(statement: string): Promise<boolean> {
    try {
      await db.$client.sql(statement);
      return true;
    } catch (error) {
      expect((error as Error).message).not.toMatch(/connection|timeout/i);
      return false;
    }
  }

  describe('the identifier rules give the server\'s verdict', () => {
    let n = 0;
    const table = () => `${quote(schema)}.${quote(`t${n++}`)}`;

    const tableNames = ['plain', 'Mixed_Case', 'Größe', '_under', '_t', 'ceo[x', 'with space', 'a/b', 'star*', 'q?', 'pipe|x', 'comma,x', 'hash#x', 'lt<', '-dash', '+plus'];

    it.each([...tableNames, 'x'.repeat(255), 'x'.repeat(256)])('table name %j in doc', async (name) => {
      const accepted = await serverAccepts(`CREATE TABLE doc.${quote(name)} (a INT) WITH (number_of_replicas = 0)`);
      if (accepted) await db.$client.sql(`DROP TABLE doc.${quote(name)}`);
      expect(tableNameProblem(name, 'doc') === undefined).toBe(accepted);
      expect(tableNameProblem(name, undefined)).toBe(tableNameProblem(name, 'doc'));
    });

    it.each([...tableNames, 'x'.repeat(255 - schema.length - 1), 'x'.repeat(256 - schema.length - 1)])(`table name %j in another schema`, async (name) => {
      const accepted = await serverAccepts(`CREATE TABLE ${quote(schema)}.${quote(name)} (a INT) WITH (number_of_replicas = 0)`);
      expect(tableNameProblem(name, schema) === undefined).toBe(accepted);
    });

    it.each(['-s', '+s', '_s', 'S p', 's/x'])('schema name %j', async (name) => {
      const accepted = await serverAccepts(`CREATE TABLE ${quote(name)}.t (a INT) WITH (number_of_replicas = 0)`);
      if (accepted) await db.$client.sql(`DROP TABLE ${quote(name)}.t`);
      expect(schemaNameProblem(name) === undefined).toBe(accepted);
    });

    // The issue behind these rules found a newline accepted in a column name; 6.4.3 refuses it ("illegal whitespace").
    it.each(['plain', 'Größe', 'a b', 'a]b', "a'b", '_x', 'a\tb', 'a\nb', 'a\rb', 'a[0]', 'a.b', '_id', '_version', '_score', '_raw', '_docid', '_mine'])(
      'column name %j',
      async (name) => {
        const accepted = await serverAccepts(`CREATE TABLE ${table()} (${quote(name)} INT) WITH (number_of_replicas = 0)`);
        expect(columnNameProblem(name, true) === undefined).toBe(accepted);
      },
    );

    it.each(['plain', '_id', '_version', 'a\tb', 'a[0]', 'a.b'])('object key %j', async (name) => {
      const accepted = await serverAccepts(`CREATE TABLE ${table()} (o OBJECT(STRICT) AS (${quote(name)} INT)) WITH (number_of_replicas = 0)`);
      expect(columnNameProblem(name, false) === undefined).toBe(accepted);
    });
  });
});
