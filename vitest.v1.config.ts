import { defineConfig } from 'vitest/config';
import { jsonReport, lineAliases } from './tests/support/lines.js';

/**
 * The suite on drizzle-orm 1.x: `drizzle-orm` resolves to the `drizzle-orm-v1` dev dependency and `drizzle-cratedb`
 * to its v1 entry. Suites written for one line only live in tests/v045 and tests/v1.
 */
export default defineConfig({
  resolve: { alias: lineAliases('v1') },
  test: {
    ...jsonReport('v1'),
    include: ['tests/**/*.test.ts'],
    // The cluster suite and drizzle-cratedb/testing's processes exercise no Drizzle code, which is all that differs
    // here: the cluster suite runs on 0.45 (undici) and in the fetch run, the processes suite on 0.45.
    exclude: ['tests/v045/**', 'tests/integration/cluster.test.ts', 'tests/testing/processes.test.ts', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/register-undici.ts'],
    provide: { drizzleLine: 'v1', transport: 'undici' },
    // drizzle-seed's v1 line imports drizzle-orm: bundled through the aliases above, it gets drizzle-orm-v1 as a v1
    // project would.
    server: { deps: { inline: ['drizzle-seed-v1'] } },
    testTimeout: 20_000,
    hookTimeout: 180_000,
    typecheck: { enabled: true, include: ['tests/**/*.test-d.ts'], exclude: ['tests/v045/**'], tsconfig: './tsconfig.v1.json' },
  },
});
