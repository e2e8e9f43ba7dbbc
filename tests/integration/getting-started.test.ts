/**
 * The getting-started flow of CrateDB's SQLAlchemy dialect, through drizzle-cratedb, on a real CrateDB: create a table
 * with `number_of_replicas = '0'`, see it in information_schema, insert, refresh, select with filter and order,
 * count grouped by a column, drop, see it gone.
 */
import { asc, count, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  crateTable,
  CrateDBError,
  crateErrorOf,
  createTables,
  drizzle,
  dropTables,
  hasTable,
  integer,
  text,
  withOptions,
  type CrateDB,
} from 'drizzle-cratedb';
import { describeCrate, testClient, uniqueName } from '../support/crate.js';

describeCrate('getting started on a real CrateDB', () => {
  const name = uniqueName('departments');
  const departments = crateTable(
    name,
    {
      id: text().primaryKey(),
      name: text().notNull(),
      code: integer().notNull(),
      floor: integer(),
    },
    () => [withOptions({ number_of_replicas: '0' })],
  );
  let db: CrateDB;

  beforeAll(async () => {
    db = drizzle({ client: testClient() });
  });
  afterAll(async () => {
    await dropTables(db, [departments]);
    await db.$client.close();
  });

  it('creates the table and finds it in information_schema', async () => {
    expect(await hasTable(db, departments)).toBe(false);
    await createTables(db, [departments]);
    expect(await hasTable(db, departments)).toBe(true);
    expect(await hasTable(db, name, { schema: 'doc' })).toBe(true);
    const settings = await db.execute<{ replicas: string }>(
      sql`select number_of_replicas as replicas from information_schema.tables where table_name = ${name}`,
    );
    expect(settings.rows).toEqual([{ replicas: '0' }]);
  });

  it('inserts, refreshes, and selects with a filter and an order', async () => {
    const inserted = await db
      .insert(departments)
      .values([
        { id: 'd1', name: 'Sales', code: 10, floor: 2 },
        { id: 'd2', name: 'Engineering', code: 20, floor: 3 },
        { id: 'd3', name: 'Support', code: 30, floor: 2 },
      ])
      .returning({ id: departments.id });
    expect(inserted.map((row) => row.id).sort()).toEqual(['d1', 'd2', 'd3']);
    await db.refresh(departments);

    const rows = await db.select().from(departments).where(gt(departments.code, 15)).orderBy(asc(departments.name));
    expect(rows).toEqual([
      { id: 'd2', name: 'Engineering', code: 20, floor: 3 },
      { id: 'd3', name: 'Support', code: 30, floor: 2 },
    ]);
  });

  it('counts grouped by a column, and with $count', async () => {
    const perFloor = await db
      .select({ floor: departments.floor, n: count() })
      .from(departments)
      .groupBy(departments.floor)
      .orderBy(departments.floor);
    expect(perFloor).toEqual([
      { floor: 2, n: 2 },
      { floor: 3, n: 1 },
    ]);
    expect(await db.$count(departments, eq(departments.floor, 2))).toBe(2);
  });

  it('updates and deletes, and reports duplicate keys as typed errors', async () => {
    const updated = await db.update(departments).set({ floor: 4 }).where(eq(departments.id, 'd1')).returning();
    expect(updated).toEqual([{ id: 'd1', name: 'Sales', code: 10, floor: 4 }]);
    const error = await db
      .insert(departments)
      .values({ id: 'd1', name: 'Again', code: 1 })
      .then(() => null, (caught: unknown) => caught);
    // On Drizzle v1 the CrateDBError arrives as the cause of drizzle's DrizzleQueryError.
    expect(crateErrorOf(error)).toBeInstanceOf(CrateDBError);
    expect(crateErrorOf(error)).toMatchObject({ code: 'CRATE_ERR_SERVER', serverCode: 4091, kind: 'duplicate-key', status: 409 });
    const deleted = await db.delete(departments).where(eq(departments.id, 'd3'));
    expect(deleted.rowCount).toBe(1);
  });

  it('drops the table and no longer finds it', async () => {
    await dropTables(db, [departments]);
    expect(await hasTable(db, departments)).toBe(false);
  });
});
