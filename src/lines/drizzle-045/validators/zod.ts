/**
 * drizzle-cratedb/zod: drizzle-zod's schema factories for drizzle-orm 0.45, with each CrateDB column's schema exact
 * (integer ranges, REAL and DOUBLE as finite numbers, vectors of their dimension, geo points on the globe, objects
 * with their declared sub-columns, timestamps in their mode), as drizzle-cratedb/v1/zod gives them on Drizzle v1.
 * Same signatures and types as drizzle-zod.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-zod';
import { crateFactories } from '../../../dialect/validators/schema-kit.js';
import { zodKit } from '../../../dialect/validators/zod-kit.js';

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, zodKit);
