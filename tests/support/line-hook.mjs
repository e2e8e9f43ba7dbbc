// Node resolve hook for child processes on a Drizzle line whose packages are dev aliases: each package named in
// DRIZZLE_CRATEDB_LINE_PACKAGES ({"drizzle-orm":"drizzle-orm-v1",...}, from src/lines/manifest.ts) resolves, with its
// subpaths, to the line's copy, as the line's vitest aliases do inside the test runner.
// Used as `node --import ./tests/support/line-hook.mjs ...`; tests/support/lines.ts's lineEnv sets both.
import { register } from 'node:module';

const packages = JSON.parse(process.env.DRIZZLE_CRATEDB_LINE_PACKAGES ?? '{}');

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      const packages = ${JSON.stringify(packages)};
      export async function resolve(specifier, context, next) {
        for (const [name, dev] of Object.entries(packages)) {
          if (specifier === name || specifier.startsWith(name + '/')) return next(dev + specifier.slice(name.length), context);
        }
        return next(specifier, context);
      }
    `),
);
