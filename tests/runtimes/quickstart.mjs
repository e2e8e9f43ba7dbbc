// The README's Quick start as a function, for the runtime smoke suite (tests/integration/runtimes.test.ts): the same
// statements, with the URL and a unique table name passed in and the table dropped at the end. `drizzle-cratedb` is
// the package as built (dist/), resolved through its export conditions by each runtime; `ENTRY` is replaced per line.
import { eq } from 'drizzle-orm';
import { crateTable, createTables, dropTables, drizzle, integer, object, text } from 'ENTRY';

export async function quickStart(url, table) {
  // The driver's diagnostics channels where the runtime has node:diagnostics_channel (loaded as the driver loads it);
  // `traced` stays null where it has none, and the Quick start must run all the same.
  const diagnostics = globalThis.process?.getBuiltinModule?.('node:diagnostics_channel');
  const traced = [];
  const handlers = { asyncEnd: (ctx) => traced.push(`${ctx.summary} ${ctx.outcome}`) };
  diagnostics?.tracingChannel('drizzle-cratedb:query').subscribe(handlers);
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
    return {
      transport: db.$client.config.transport,
      found: found.map((row) => ({ name: row.name, age: row.age, city: row.profile.city })),
      traced: diagnostics ? traced : null,
    };
  } finally {
    await dropTables(db, [users]).catch(() => {});
    await db.$client.close();
    diagnostics?.tracingChannel('drizzle-cratedb:query').unsubscribe(handlers);
  }
}
