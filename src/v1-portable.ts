/**
 * drizzle-cratedb/v1 for runtimes without Node's sockets: the same API as ./v1.ts, requests over `fetch`.
 */
export * from './lines/drizzle-v1/index.js';
