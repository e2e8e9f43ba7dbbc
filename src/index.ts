/**
 * drizzle-cratedb: a Drizzle ORM dialect for CrateDB over its HTTP endpoint. This entry serves drizzle-orm 0.45;
 * `drizzle-cratedb/v1` serves drizzle-orm 1.x.
 */
export * from './drizzle-045/index.js';
