/**
 * drizzle-cratedb/v1/arktype: drizzle-orm/arktype's schema factories, with each CrateDB column's schema exact (integer ranges, REAL
 * and DOUBLE as finite numbers, vectors of their dimension, geo points on the globe, objects with their declared
 * sub-columns, timestamps in their mode). Same signatures and types as drizzle-orm/arktype.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-orm/arktype';
import { crateFactories } from '../../../dialect/validators/schema-kit.js';
import { arktypeKit } from '../../../dialect/validators/arktype-kit.js';

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, arktypeKit);
