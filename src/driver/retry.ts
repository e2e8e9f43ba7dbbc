/**
 * When a failed request may be sent again. The rule: nothing is ever applied twice. A request that may have reached a
 * server is re-sent elsewhere only when re-running it cannot change data (a read, or the caller says so); a write is
 * re-sent only when it provably never left this process.
 */
import { sqlTokens } from '../shared/sql-tokens.js';

/** How one attempt failed, as far as retrying is concerned. */
export type AttemptFailure =
  /** Below HTTP: refused, reset, TLS, DNS, connect timeout. `requestSent` false: provably never reached a server. */
  | { type: 'transport'; requestSent: boolean }
  /** The server stopped answering probes while the request waited (see hang-detector.ts). */
  | { type: 'hung'; requestSent: boolean }
  /** 502/503/504: this server, or the cluster behind it, cannot serve now. */
  | { type: 'unavailable' }
  /** A server answered with one of CrateDB's transient cluster errors (transient.ts, `transientClusterError`). */
  | { type: 'transient' }
  /** The caller's `timeout` passed. */
  | { type: 'deadline'; requestSent: boolean };

export interface FailureVerdict {
  /** Set the server aside for the retry interval. */
  markInactive: boolean;
  /** Send the request again (to the next server). */
  retry: boolean;
  /** The statement may or may not have been applied. */
  outcomeUnknown: boolean;
}

export function verdictFor(failure: AttemptFailure, idempotent: boolean): FailureVerdict {
  switch (failure.type) {
    case 'transport':
    case 'hung':
      if (!failure.requestSent) return { markInactive: true, retry: true, outcomeUnknown: false };
      return { markInactive: true, retry: idempotent, outcomeUnknown: !idempotent };
    case 'unavailable':
      return { markInactive: true, retry: idempotent, outcomeUnknown: !idempotent };
    case 'transient':
      // The server that answered is fine; another node of its cluster failed while the statement ran, so a write may
      // have been applied in part.
      return { markInactive: false, retry: idempotent, outcomeUnknown: !idempotent };
    case 'deadline':
      // No time is left to retry, and a slow answer is no proof of a dead server: the client probes it separately.
      return { markInactive: false, retry: false, outcomeUnknown: failure.requestSent && !idempotent };
  }
}

/**
 * Wait before retry round `round` (1-based) after transient errors: 50, 100, 200, 400, 800 ms, then every 1 s. Short
 * at first because CrateDB recovers in about 2 s from a node's death; capped so that a recovery is noticed soon.
 */
export function transientRetryDelay(round: number): number {
  return Math.min(50 * 2 ** (round - 1), 1000);
}

const MAX_BACKOFF_MS = 120_000;

/** Delay before retry number `retry` (1-based) of one request: 0, f, 2f, 4f, ... capped at 120 s (urllib3's scheme). */
export function backoffDelay(retry: number, factor: number): number {
  if (retry <= 1 || factor <= 0) return 0;
  return Math.min(factor * 2 ** (retry - 2), MAX_BACKOFF_MS);
}

const READ_ONLY_KEYWORDS = new Set(['SELECT', 'SHOW', 'VALUES']);
/**
 * Words that make a WITH or EXPLAIN ANALYZE statement a write. CrateDB has no data-modifying CTEs today; this stays
 * safe if it gets them. An unquoted name that happens to be one of these words only makes the check more cautious.
 */
const WRITE_KEYWORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE', 'CREATE', 'DROP', 'ALTER']);

/**
 * True when the statement cannot change data, judged by its first keyword after whitespace, comments and opening
 * parentheses: SELECT, SHOW, VALUES, WITH ... SELECT, EXPLAIN (which only plans; EXPLAIN ANALYZE runs the statement,
 * so it counts as a read only over a SELECT). Conservative: anything it does not recognize counts as a write.
 */
export function isReadOnlyStatement(statement: string): boolean {
  const words = keywords(statement);
  const first = words.next().value;
  if (first === undefined) return false;
  if (READ_ONLY_KEYWORDS.has(first)) return true;
  if (first !== 'WITH' && first !== 'EXPLAIN') return false;
  const rest = [...words];
  if (rest.some((word) => WRITE_KEYWORDS.has(word))) return false;
  if (first === 'WITH') return rest.includes('SELECT');
  return !rest.includes('ANALYZE') || rest.includes('SELECT');
}

/** Upper-cased bare words of a statement, past comments, string literals and quoted identifiers. */
function* keywords(statement: string): Generator<string, void, undefined> {
  for (const token of sqlTokens(statement)) if (token.kind === 'word') yield token.text.toUpperCase();
}
