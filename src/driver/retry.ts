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
  /** A server answered with one of CrateDB's transient cluster errors ({@link transientClusterError}). */
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
 * CrateDB's exceptions that mean "a node of the cluster is gone or not ready yet", not "this statement is wrong".
 * CrateDB itself treats them as temporary: `SQLExceptions.maybeTemporary`, `maybeTemporaryNetworkError` and
 * `isShardNotAvailable` (server/src/main/java/io/crate/exceptions/SQLExceptions.java, 6.4.3), and retries its own
 * statements on them (session/RetryOnFailureResultReceiver.java). `NoSuchNodeException` is what a coordinator answers
 * for a node that left the cluster state (action/NoSuchNodeException.java); it was observed with the others.
 * `ClusterBlockException` is left out: with a 503 (no master, state not recovered) it is handled as "unavailable"
 * like any 503, while with a 403 it is a lasting block (a table made read-only when the disk filled up).
 * docs/connecting.md ("Clusters, failover and timeouts") lists each with its code and source.
 */
const TRANSIENT_EXCEPTIONS: ReadonlySet<string> = new Set([
  'NodeNotConnectedException',
  'NodeDisconnectedException',
  'ConnectTransportException',
  'NodeClosedException',
  'NoSeedNodeLeftException',
  'NoSuchNodeException',
  'ShardNotFoundException',
  'IndexNotFoundException',
  'IllegalIndexShardStateException',
  'NoShardAvailableActionException',
  'UnavailableShardsException',
  'AlreadyClosedException',
  'ElasticsearchTimeoutException',
]);

/**
 * JobKilledException (5005) is transient only when CrateDB killed the job because a node went away:
 * - "Participating node <id> disconnected", "Coordinator node <id> disconnected", and "TasksService stopped" when the
 *   node shuts down (execution/jobs/TasksService.java);
 * - "Received result for job=<id> but there is no context for this job due to a failure during the setup." and
 *   "Received data for job=<id> but there is no job context present" ("This can happen due to bad network latency or
 *   if individual nodes are unresponsive", execution/engine/distribution/TransportDistributedResultAction.java); the
 *   first was observed when a node hung.
 * A user's KILL ("KILL invoked by user: ..."), a statement_timeout ("statement_timeout (...)"), a cancel request and
 * the bare "Job killed" are final.
 */
const TRANSIENT_JOB_KILLED =
  /^JobKilledException\[Job killed\. (?:(?:Participating|Coordinator) node \S+ disconnected|TasksService stopped|Received result for job=\S+ but there is no context for this job due to a failure during the setup\.|Received data for job=\S+ but there is no job context present\b.*)\]$/s;

/**
 * A job planned on a node that left the cluster before the job was set up: TransportJobAction.java throws
 * IllegalArgumentException("Unknown node: <id>"), which SQLExceptions.esToCrateException turns into an
 * SQLParseException (4000). Observed while a node hung. Only this exact message counts: no statement text produces it.
 */
const TRANSIENT_UNKNOWN_NODE = /^SQLParseException\[Unknown node: \S+\]$/;

const EXCEPTION_NAME = /^([A-Za-z]+)\[/;

/**
 * The exception name when CrateDB's error answer (`{"error": {"code", "message"}}`, where the message is
 * `SimpleClassName[detail]`, Exceptions.userFriendlyMessage) is one of its transient cluster errors; else undefined.
 */
export function transientClusterError(message: string): string | undefined {
  const name = EXCEPTION_NAME.exec(message)?.[1];
  if (name === undefined) return undefined;
  if (TRANSIENT_EXCEPTIONS.has(name)) return name;
  if (name === 'JobKilledException' && TRANSIENT_JOB_KILLED.test(message)) return name;
  if (name === 'SQLParseException' && TRANSIENT_UNKNOWN_NODE.test(message)) return name;
  return undefined;
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
