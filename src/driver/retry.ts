/**
 * When a failed request may be sent again. The rule: nothing is ever applied twice. A request that may have reached a
 * server is re-sent elsewhere only when re-running it cannot change data (a read, or the caller says so); a write is
 * re-sent only when it provably never left this process.
 */

/** How one attempt failed, as far as retrying is concerned. */
export interface AttemptFailure {
  /** False when the request bytes were never handed to a connected socket (refused, DNS, TLS handshake, connect timeout). */
  requestSent: boolean;
  /** The server accepted the request but did not answer in time: likely a slow statement rather than a dead server. */
  responseTimeout: boolean;
}

export interface FailureVerdict {
  /** Set the server aside for the retry interval. */
  markInactive: boolean;
  /** Send the request to the next server. */
  retry: boolean;
  /** The statement may or may not have been applied. */
  outcomeUnknown: boolean;
}

export function verdictFor(failure: AttemptFailure, idempotent: boolean): FailureVerdict {
  if (!failure.requestSent) return { markInactive: true, retry: true, outcomeUnknown: false };
  // A response timeout is not taken as a sign of a dead server: re-running a slow query on every node in turn would
  // multiply the load and the wait, and would mark a healthy cluster inactive. Dead hosts show up as connect failures.
  if (failure.responseTimeout) return { markInactive: false, retry: false, outcomeUnknown: !idempotent };
  return { markInactive: true, retry: idempotent, outcomeUnknown: !idempotent };
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

/** Upper-cased bare words of a statement, skipping comments, string literals and quoted identifiers. */
function* keywords(statement: string): Generator<string, void, undefined> {
  const length = statement.length;
  let i = 0;
  while (i < length) {
    const char = statement[i]!;
    const next = statement[i + 1];
    if (char === '-' && next === '-') {
      const end = statement.indexOf('\n', i);
      i = end === -1 ? length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = statement.indexOf('*/', i + 2);
      i = end === -1 ? length : end + 2;
    } else if (char === "'" || char === '"') {
      // Both quote styles escape themselves by doubling, so scanning to the next quote and continuing is enough.
      const end = statement.indexOf(char, i + 1);
      i = end === -1 ? length : end + 1;
    } else if (/[A-Za-z_]/.test(char)) {
      const start = i;
      while (i < length && /\w/.test(statement[i]!)) i++;
      yield statement.slice(start, i).toUpperCase();
    } else {
      i++;
    }
  }
}
