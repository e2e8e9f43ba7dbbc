/**
 * What integration suites use to reach the CrateDB found by global-setup.ts: `describeCrate` runs a suite only when
 * there is one, and names the reason in the suite title when there is not.
 */
import { describe, inject } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { NO_CRATEDB } from './global-setup.js';
import { expectCrateSql } from './grammar.js';

export const crateUrl: string | null = inject('crateUrl');

export const describeCrate = crateUrl
  ? describe
  : (name: string, fn: () => void) =>
      describe.skip(`${name} [SKIPPED: ${NO_CRATEDB}]`, fn);

/**
 * A client for the test server; callers close it. Every statement it sends is first parsed by CrateDB's grammar, so
 * the integration suites check the syntax of all the SQL the package emits on the way (introspection, migrations,
 * bulk writes), not only its effect. Statements beyond 32 KiB (multi-row inserts) are left to the unit suites, which
 * parse them at a smaller size.
 */
export function testClient(options: { schema?: string; transport?: 'undici' | 'fetch' } = {}): CrateClient {
  if (!crateUrl) throw new Error('no CrateDB for integration tests');
  const client = new CrateClient({ servers: [crateUrl], ...options });
  const sql = client.sql.bind(client);
  const bulk = client.bulk.bind(client);
  const cursor = client.cursor.bind(client);
  const checked = (stmt: string) => {
    if (stmt.length <= 32_768) expectCrateSql(stmt);
  };
  return Object.assign(client, {
    sql: (stmt: string, ...rest: Parameters<CrateClient['sql']> extends [string, ...infer R] ? R : never) => {
      checked(stmt);
      return sql(stmt, ...rest);
    },
    bulk: (stmt: string, ...rest: Parameters<CrateClient['bulk']> extends [string, ...infer R] ? R : never) => {
      checked(stmt);
      return bulk(stmt, ...rest);
    },
    // The query a cursor reads; DECLARE/FETCH/CLOSE around it are parsed in tests/driver/cursor.test.ts.
    cursor: (stmt: string, ...rest: Parameters<CrateClient['cursor']> extends [string, ...infer R] ? R : never) => {
      checked(stmt);
      return cursor(stmt, ...rest);
    },
  });
}

/** A table name unique to this run, so suites never collide with each other or with leftovers. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
