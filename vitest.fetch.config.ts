import { defineConfig } from 'vitest/config';
import { DEFAULT_LINE } from './src/lines/manifest.js';
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
  // The diagnostics channels and the OpenTelemetry bridge: the same spans over fetch (cursor and blob tests skip).
  'tests/driver/diagnostics.test.ts',
  'tests/otel/spans.test.ts',
  'tests/driver/hedge.test.ts',
  // Skips itself without CRATEDB_CLUSTER_URLS; with them, the cluster's faults on the fetch transport.
  'tests/integration/cluster.test.ts',
];

export default defineConfig({
  resolve: { alias: lineAliases(DEFAULT_LINE) },
  test: {
    ...jsonReport('fetch'),
    include: FETCH_TRANSPORT_TESTS,
    globalSetup: ['tests/support/global-setup.ts'],
    provide: { drizzleLine: DEFAULT_LINE, transport: 'fetch' },
    testTimeout: 20_000,
    hookTimeout: 180_000,
  },
});
