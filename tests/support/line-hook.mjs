// Node resolve hook for child processes on the Drizzle v1 line: `drizzle-orm` (and its subpaths) resolve to the
// `drizzle-orm-v1` dev dependency, as vitest.v1.config.ts's aliases do inside the test runner.
// Used as `node --import ./tests/support/drizzle-v1-hook.mjs ...`.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier === 'drizzle-orm' || specifier.startsWith('drizzle-orm/')) {
          return next('drizzle-orm-v1' + specifier.slice('drizzle-orm'.length), context);
        }
        return next(specifier, context);
      }
    `),
);
