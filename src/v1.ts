/**
 * drizzle-cratedb/v1: a Drizzle ORM dialect for CrateDB over its HTTP endpoint, for drizzle-orm 1.x. The root entry
 * `drizzle-cratedb` serves drizzle-orm 0.45. This is the Node entry point; other runtimes get ./v1-portable.ts.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import './shared/node-version.js';
import './driver/register-undici.js';

export * from './lines/drizzle-v1/index.js';
