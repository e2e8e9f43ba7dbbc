/**
 * drizzle-cratedb/driver on Node: the driver with undici's pools available. Other runtimes get ./index.ts.
 */
import './register-undici.js';

export * from './index.js';
