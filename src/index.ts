/**
 * drizzle-cratedb: a Drizzle ORM dialect for CrateDB over its HTTP endpoint. This entry serves drizzle-orm 0.45;
 * `drizzle-cratedb/v1` serves drizzle-orm 1.x. This is the Node entry point (undici's pools available); other
 * runtimes get ./portable.ts through package.json's export conditions.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import './shared/node-version.js';
import './driver/register-undici.js';

export * from './lines/drizzle-045/index.js';
