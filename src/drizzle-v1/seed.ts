/**
 * drizzle-cratedb/v1/seed: drizzle-seed's `seed()` and `reset()` for crateTables on Drizzle v1 (drizzle-seed 1.x).
 * Same call and types as drizzle-seed's: `await seed(db, { users, posts }, { count: 100, seed: 1 })`, and
 * `.refine((f) => ({ users: { columns: { name: f.firstName() } } }))` for columns of one's own choosing.
 */
import { seed as drizzleSeed, type reset as drizzleReset } from 'drizzle-seed';
import { CrateSeed, resetTables, type SeedLine } from '../drizzle-common/seed.js';
import { getCrateTableConfig, isCrateTable } from './columns/table.js';

const line: SeedLine = {
  drizzleSeed: drizzleSeed as never,
  // drizzle-seed 1.x leaves a column refined to `false` out of the rows.
  leaveOut: () => false,
  maxArrayDimensions: 1,
  isCrateTable,
  primaryKeyOf: (table) => getCrateTableConfig(table).primaryKey?.columns ?? [],
};

/** Seeds crateTables with values each column accepts, then refreshes them; see drizzle-seed's `seed`. */
export const seed: typeof drizzleSeed = ((db: unknown, schema: Record<string, unknown>, options?: object) => new CrateSeed(line, db, schema, options)) as never;

/** Deletes every row of the schema's crateTables and refreshes them (CrateDB has no `TRUNCATE ... CASCADE`). */
export const reset: typeof drizzleReset = ((db: unknown, schema: Record<string, unknown>) => resetTables(db, schema, line)) as never;
