/**
 * drizzle-cratedb/migrator: `migrate(db, { migrationsFolder })`, as drizzle-orm's migrators are called.
 */
export { migrate, MigrationError, type MigrateResult, type MigrationConfig } from './migrator.js';
