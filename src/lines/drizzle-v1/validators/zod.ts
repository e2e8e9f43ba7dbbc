/**
 * drizzle-cratedb/v1/zod: drizzle-orm/zod's schema factories, with each CrateDB column's schema exact (integer ranges, REAL
 * and DOUBLE as finite numbers, vectors of their dimension, geo points on the globe, objects with their declared
 * sub-columns, timestamps in their mode). Same signatures and types as drizzle-orm/zod.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-orm/zod';
import { crateFactories } from '../../../dialect/validators/schema-kit.js';
import { zodKit } from '../../../dialect/validators/zod-kit.js';

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, zodKit);
