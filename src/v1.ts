/**
 * drizzle-cratedb/v1: a Drizzle ORM dialect for CrateDB over its HTTP endpoint, for drizzle-orm 1.x. The root entry
 * `drizzle-cratedb` serves drizzle-orm 0.45.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import './shared/node-version.js';
export * from './drizzle-v1/index.js';
