/**
 * drizzle-cratedb: a Drizzle ORM dialect for CrateDB over its HTTP endpoint.
 */
export * from './columns/index.js';
export * from './dialect/index.js';
export * from './driver/index.js';
// pg-core's table extras work unchanged on crateTable.
export { check, primaryKey } from 'drizzle-orm/pg-core';
