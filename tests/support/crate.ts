/**
 * What integration suites use to reach the CrateDB found by global-setup.ts: `describeCrate` runs a suite only when
 * there is one, and names the reason in the suite title when there is not.
 */
import { describe, inject } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';

export const crateUrl: string | null = inject('crateUrl');

export const describeCrate = crateUrl
  ? describe
  : (name: string, fn: () => void) =>
      describe.skip(`${name} [SKIPPED: no CrateDB; set CRATEDB_URL or run a Docker engine]`, fn);

/** A client for the test server; callers close it. */
export function testClient(options: { schema?: string } = {}): CrateClient {
  if (!crateUrl) throw new Error('no CrateDB for integration tests');
  return new CrateClient({ servers: [crateUrl], ...options });
}

/** A table name unique to this run, so suites never collide with each other or with leftovers. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
