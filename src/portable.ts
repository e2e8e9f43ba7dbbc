/**
 * drizzle-cratedb for runtimes without Node's sockets (Bun, Deno, Cloudflare Workers, Vercel Edge): the same API as
 * ./index.ts, with requests over `fetch` and nothing Node-only loaded (package.json export conditions pick it).
 */
export * from './lines/drizzle-045/index.js';
