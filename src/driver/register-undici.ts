/**
 * Makes the undici transport available. Imported, for its effect, only by the Node entry points (package.json
 * `exports`, `node` and `import` conditions): runtimes without Node's sockets never load undici.
 */
import { Pool } from 'undici';
import { registerUndiciTransport } from './transport-api.js';
import { UndiciTransport } from './transport.js';

// Bun resolves `undici` to a built-in stand-in whose Pool has no `dispatch`: it cannot carry requests, so the client
// falls back to fetch there (docs/runtimes.md, "Bun").
if (typeof (Pool.prototype as { dispatch?: unknown }).dispatch === 'function') {
  registerUndiciTransport((config, secrets) => new UndiciTransport(config, secrets));
}
