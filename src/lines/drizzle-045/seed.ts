/**
 * drizzle-cratedb/seed: drizzle-seed's `seed()` and `reset()` for crateTables on drizzle-orm 0.45 (drizzle-seed 0.3).
 * Same call and types as drizzle-seed's: `await seed(db, { users, posts }, { count: 100, seed: 1 })`, and
 * `.refine((f) => ({ users: { columns: { name: f.firstName() } } }))` for columns of one's own choosing.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../shared/node-version.js';
import { seed as drizzleSeed, type reset as drizzleReset } from 'drizzle-seed';
// A namespace import: drizzle-orm 1.x lacks these names, and named imports would fail at link time there, before the
// Node.js and Drizzle line checks can say what is wrong.
import * as orm from 'drizzle-orm';
import { CrateSeed, resetTables, type SeedFunctions, type SeedLine } from '../../dialect/seed.js';
import { getCrateTableConfig, isCrateTable } from './columns/table.js';

const line: SeedLine = {
  drizzleSeed: drizzleSeed as never,
  // drizzle-seed 0.3 has no way to leave a column out: an undefined value, which the insert leaves to CrateDB.
  leaveOut: (funcs) => (funcs as SeedFunctions & { default(options: { defaultValue: unknown }): unknown }).default({ defaultValue: undefined }),
  maxArrayDimensions: Infinity,
  isCrateTable,
  primaryKeyOf: (table) => getCrateTableConfig(table).primaryKey?.columns ?? [],
  // drizzle-seed 0.3 links the `fields` of each `one()` of the legacy relations in the schema.
  linkedColumns(schema) {
    const linked = new Set<unknown>();
    const { tables } = orm.extractTablesRelationalConfig(schema, orm.createTableRelationsHelpers);
    for (const table of Object.values(tables)) {
      for (const relation of Object.values(table.relations)) {
        if (orm.is(relation, orm.One)) for (const field of relation.config?.fields ?? []) linked.add(field);
      }
    }
    return linked;
  },
};

/** Seeds crateTables with values each column accepts, then refreshes them; see drizzle-seed's `seed`. */
export const seed: typeof drizzleSeed = ((db: unknown, schema: Record<string, unknown>, options?: object) => new CrateSeed(line, db, schema, options)) as never;

/** Deletes every row of the schema's crateTables and refreshes them (CrateDB has no `TRUNCATE ... CASCADE`). */
export const reset: typeof drizzleReset = ((db: unknown, schema: Record<string, unknown>) => resetTables(db, schema, line)) as never;
