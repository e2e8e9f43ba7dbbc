/**
 * drizzle-cratedb/driver on Node: the driver with undici's pools available. Other runtimes get ./index.ts.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../shared/node-version.js';
import './register-undici.js';

export * from './index.js';
