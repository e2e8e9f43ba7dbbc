// The README's Quick start as a function, for the runtime smoke suite (tests/integration/runtimes.test.ts): the same
// statements, with the URL and a unique table name passed in and the table dropped at the end. `drizzle-cratedb` is
// the package as built (dist/), resolved through its export conditions by each runtime; `ENTRY` is replaced per line.
import { eq } from 'drizzle-orm';
import { crateTable, createTables, dropTables, drizzle, integer, object, text } from 'ENTRY';

export async function quickStart(url, table) {
  const users = crateTable(table, {
    id: text().primaryKey().defaultRandom(),
    name: text().notNull(),
    age: integer(),
    profile: object({ columns: { city: text(), newsletter: integer() } }),
  });
  const db = drizzle(url);
  try {
    await createTables(db, [users]);
    const [created] = await db.insert(users).values({ name: 'Arthur', age: 42, profile: { city: 'Cottington' } }).returning();
    const found = await db.select().from(users).where(eq(users.id, created.id));
    return { transport: db.$client.config.transport, found: found.map((row) => ({ name: row.name, age: row.age, city: row.profile.city })) };
  } finally {
    await dropTables(db, [users]).catch(() => {});
    await db.$client.close();
  }
}
