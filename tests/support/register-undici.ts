/**
 * Setup file of the Node runs: makes undici's transport available, as the Node entry points do. The fetch run
 * (vitest.fetch.config.ts) leaves it out, so that `auto` picks fetch there, as on Bun, Deno and Workers.
 */
import '../../src/driver/register-undici.js';
