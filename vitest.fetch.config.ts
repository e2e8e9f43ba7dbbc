import { defineConfig } from 'vitest/config';
import { jsonReport, lineAliases } from './tests/support/lines.js';

/**
 * The transport tests again, on the fetch transport: undici is not registered here (no setup file), so `auto` picks
 * fetch, as it does on Bun, Deno and Workers. Only the files that exercise the transport; the Drizzle-free unit tests
 * of parsing and values do not depend on it.
 */
export const FETCH_TRANSPORT_TESTS = [
  'tests/driver/client.test.ts',
  'tests/driver/failover.test.ts',
  'tests/driver/cluster-retry.test.ts',
  'tests/driver/hung-server.test.ts',
  'tests/driver/timeouts.test.ts',
  'tests/driver/compression.test.ts',
  'tests/driver/errors.test.ts',
  'tests/driver/auth-secrets.test.ts',
  'tests/driver/transport-choice.test.ts',
  'tests/driver/wrong-endpoint.test.ts',
  'tests/driver/hedge.test.ts',
  // Skips itself without CRATEDB_CLUSTER_URLS; with them, the cluster's faults on the fetch transport.
  'tests/integration/cluster.test.ts',
  
];

export default defineConfig({
  resolve: { alias: lineAliases('0.45') },
  test: {
    ...jsonReport('fetch'),
    include: FETCH_TRANSPORT_TESTS,
    globalSetup: ['tests/support/global-setup.ts'],
    provide: { drizzleLine: '0.45', transport: 'fetch' },
    testTimeout: 20_000,
    hookTimeout: 180_000,
  },
});
