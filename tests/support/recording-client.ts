/**
 * A CrateClient whose `sql()` and `bulk()` are answered in-process, for dialect tests that check what would be
 * sent (and that nothing is sent). The transport itself is tested against the protocol server in tests/driver.
 */
import { CrateClient, type BulkResult, type SqlResult } from '../../src/driver/index.js';

export interface RecordedCall {
  stmt: string;
  args: readonly unknown[];
  bulkArgs?: readonly (readonly unknown[])[];
}

export type Responder = (call: RecordedCall) => Partial<SqlResult>;

export function recordingClient(respond: Responder = () => ({})) {
  const calls: RecordedCall[] = [];
  const client = new CrateClient('http://127.0.0.1:9');
  Object.assign(client, {
    async sql(stmt: string, args: readonly unknown[] = []): Promise<SqlResult> {
      const call = { stmt, args };
      calls.push(call);
      return { cols: [], colTypes: [], rows: [], rowCount: writtenRows(stmt), duration: 0, ...respond(call) };
    },
    async bulk(stmt: string, bulkArgs: readonly (readonly unknown[])[]): Promise<BulkResult> {
      calls.push({ stmt, args: [], bulkArgs });
      return { results: bulkArgs.map(() => ({ rowCount: 1 })), duration: 0 };
    },
  });
  return { client, calls };
}

/** What CrateDB would report for a statement that succeeds: every row of an INSERT ... VALUES written, else 0. */
function writtenRows(stmt: string): number {
  if (!/^\s*insert\b/i.test(stmt) || !/\bvalues\b/i.test(stmt)) return 0;
  return (stmt.match(/\)\s*,\s*\(/g)?.length ?? 0) + 1;
}
