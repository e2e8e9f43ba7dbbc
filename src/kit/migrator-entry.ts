/**
 * drizzle-cratedb/migrator: `migrate(db, { migrationsFolder })`, as drizzle-orm's migrators are called.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
export { migrate, MigrationError, type MigrateResult, type MigrationConfig } from './migrator.js';
