import { defineConfig } from 'vitest/config';
import { jsonReport, lineAliases } from './tests/support/lines.js';

/** The suite on drizzle-orm 0.45; vitest.v1.config.ts runs it again on drizzle-orm 1.x. */
export default defineConfig({
  resolve: { alias: lineAliases('0.45') },
  test: {
    ...jsonReport('0.45'),
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/v1/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/register-undici.ts'],
    provide: { drizzleLine: '0.45', transport: 'undici' },
    // Integration tests share one CrateDB; the unit suites are independent and fast.
    testTimeout: 20_000,
    hookTimeout: 180_000,
    typecheck: { enabled: true, include: ['tests/**/*.test-d.ts'], exclude: ['tests/v1/**'], tsconfig: './tsconfig.json' },
  },
});
