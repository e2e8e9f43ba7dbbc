/**
 * drizzle-cratedb/kit: configuration for the `drizzle-cratedb` command, and the kit's building blocks for tools
 * (snapshots, the differ, introspection).
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
export { defineConfig, loadConfig, resolveConfig, ConfigError, type CrateKitConfig, type DbCredentials, type ResolvedKitConfig } from './config.js';
export { createSnapshot, emptySnapshot, parseSnapshot, SNAPSHOT_VERSION, tableKey, type Snapshot } from './snapshot.js';
export { diffSnapshots, type Change, type ChangeKind, type DiffOptions, type RenameDecisions } from './diff.js';
export { changeStatements, statementsFor } from './statements.js';
export { introspect, parseShowCreateTable, type IntrospectedDatabase } from './introspect.js';
export { writeSchemaSource } from './pull-writer.js';
export { checkFolder, type CheckProblem } from './check.js';
export { migrate, MigrationError, type MigrateResult, type MigrationConfig } from './migrator.js';
