/**
 * drizzle-cratedb/v1/valibot: drizzle-orm/valibot's schema factories, with each CrateDB column's schema exact (integer ranges, REAL
 * and DOUBLE as finite numbers, vectors of their dimension, geo points on the globe, objects with their declared
 * sub-columns, timestamps in their mode). Same signatures and types as drizzle-orm/valibot.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../../shared/node-version.js';
import * as factories from 'drizzle-orm/valibot';
import { crateFactories } from '../../../dialect/validators/schema-kit.js';
import { valibotKit } from '../../../dialect/validators/valibot-kit.js';

export const { createSelectSchema, createInsertSchema, createUpdateSchema } = crateFactories(factories, valibotKit);
