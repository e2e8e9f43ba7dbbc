/**
 * drizzle-cratedb/arktype: drizzle-arktype's schema factories for drizzle-orm 0.45, with each CrateDB column's schema exact
 * (integer ranges, REAL and DOUBLE as finite numbers, vectors of their dimension, geo points on the globe, objects
 * with their declared sub-columns, timestamps in their mode), as drizzle-cratedb/v1/arktype gives them on Drizzle v1.
 * Same signatures and types as drizzle-arktype.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-arktype';
import { crateFactories } from '../../../dialect/validators/schema-kit.js';
import { arktypeKit } from '../../../dialect/validators/arktype-kit.js';

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, arktypeKit);
