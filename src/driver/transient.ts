/**
 * The one table of what an answer's HTTP status and CrateDB error code mean: the error kind a caller sees, and
 * whether failover may act on it. The query client, the blob client and the cursor all classify answers here, so a
 * status is never transient in one place and final in another. Each row carries its evidence. docs/connecting.md
 * ("Clusters, failover and timeouts") lists the transient cluster errors with their codes and sources.
 */
import type { CrateErrorKind } from './errors.js';

/**
 * What failover does with an answer:
 * - `unavailable`: this server, or the cluster behind it, cannot serve now. The server is set aside and the request
 *   moves on (a read; a write reports `outcomeUnknown`, since the server may have started on it).
 * - `transient`: only when the message is one of CrateDB's transient cluster errors ({@link transientClusterError});
 *   the server is alive, so it is not set aside, and a read goes round the servers again within `retryTimeout`.
 * - `final`: the answer stands; it goes to the caller as it is.
 */
export type Failover = 'unavailable' | 'transient' | 'final';

interface StatusRow {
  readonly kind: CrateErrorKind;
  readonly failover: Failover;
}

const STATUS_TABLE: ReadonlyMap<number, StatusRow> = new Map<number, StatusRow>([
  // Rejected credentials (CrateDB's 4010/4011 also come with 401 but mean a missing privilege: see CODE_KINDS).
  [401, { kind: 'unauthorized', failover: 'final' }],
  // A privilege is missing, or a lasting ClusterBlockException (a table made read-only when the disk filled up):
  // retrying elsewhere meets the same block.
  [403, { kind: 'forbidden', failover: 'final' }],
  // 429 Too Many Requests (RFC 6585): the server is alive and shedding load. The kind says "try later", as for 503,
  // but failover leaves it alone, deliberately: setting a live node aside for `retryInterval` would push its load onto
  // the others, an immediate retry adds to the overload it reports, and a write rejected part-way (one shard's write
  // pool full) may already be applied in part. crate-python does not retry it either (SRV_UNAVAILABLE_STATUSES is
  // 502, 503, 504, 509). The caller decides when to try again.
  [429, { kind: 'service-unavailable', failover: 'final' }],
  // 4000 SQLParseException[Unknown node: <id>] is transient (see TRANSIENT_UNKNOWN_NODE); every other 400 is the
  // statement's fault.
  [400, { kind: 'other', failover: 'transient' }],
  // 4040 IndexNotFoundException, ShardNotFoundException, IllegalIndexShardStateException: a shard copy moved or is
  // not started (ResourceNotFoundException.httpErrorStatus); other 404s (unknown table, missing blob) are final.
  [404, { kind: 'other', failover: 'transient' }],
  // 5000-5005: a node of the cluster is gone or not ready (NodeNotConnectedException, JobKilledException when a node
  // disconnected, ...); other 500s are final.
  [500, { kind: 'server-error', failover: 'transient' }],
  // Bad Gateway: a proxy in front of the node got no answer from it. crate-python's SRV_UNAVAILABLE_STATUSES.
  [502, { kind: 'service-unavailable', failover: 'unavailable' }],
  // CrateDB's 5030-5035 (ClusterBlockException with 503: no master, state not recovered; MasterNotDiscoveredException)
  // and a proxy's "backend down". crate-python's SRV_UNAVAILABLE_STATUSES.
  [503, { kind: 'service-unavailable', failover: 'unavailable' }],
  // Gateway Timeout: a proxy gave up waiting for the node. crate-python's SRV_UNAVAILABLE_STATUSES (509, also there,
  // is an obsolete bandwidth-limit status no CrateDB or common proxy sends).
  [504, { kind: 'service-unavailable', failover: 'unavailable' }],
]);

/** Kinds for CrateDB error codes (HttpErrorStatus in crate/crate); codes not listed fall back to the HTTP status. */
const CODE_KINDS: ReadonlyMap<number, CrateErrorKind> = new Map([
  [4000, 'invalid-sql'],
  [4004, 'unsupported'],
  // 4010/4011 come with HTTP 401 but mean "authenticated, lacking a privilege": that is what 'forbidden' stands for,
  // while 'unauthorized' is reserved for rejected credentials.
  [4010, 'forbidden'],
  [4011, 'forbidden'],
  [4041, 'unknown-table'],
  [4043, 'unknown-column'],
  [4045, 'unknown-schema'],
  [4091, 'duplicate-key'],
  [4092, 'version-conflict'],
]);

/** The kind of an error answer: by CrateDB's code when it has one listed, else by the HTTP status. */
export function errorKindFor(code: number | undefined, status: number): CrateErrorKind {
  const byCode = code === undefined ? undefined : CODE_KINDS.get(code);
  if (byCode) return byCode;
  const row = STATUS_TABLE.get(status);
  if (row) return row.kind;
  return status >= 500 ? 'server-error' : 'other';
}

/** Whether failover may act on an answer of `status` at all: a cheap test before its body is read. */
export function mayFailOver(status: number): boolean {
  const row = STATUS_TABLE.get(status);
  return row !== undefined && row.failover !== 'final';
}

/**
 * What failover does with an answer of `status` whose error message (CrateDB's `error.message`, or the text of a
 * plain-text answer) is `message`. 2xx, 3xx and every status not in the table are final.
 */
export function failoverFor(status: number, message: string): Failover {
  const row = STATUS_TABLE.get(status);
  if (row === undefined || row.failover === 'final') return 'final';
  if (row.failover === 'unavailable') return 'unavailable';
  return transientClusterError(message) === undefined ? 'final' : 'transient';
}

/**
 * CrateDB's exceptions that mean "a node of the cluster is gone or not ready yet", not "this statement is wrong".
 * CrateDB itself treats them as temporary: `SQLExceptions.maybeTemporary`, `maybeTemporaryNetworkError` and
 * `isShardNotAvailable` (server/src/main/java/io/crate/exceptions/SQLExceptions.java, 6.4.3), and retries its own
 * statements on them (session/RetryOnFailureResultReceiver.java). `NoSuchNodeException` is what a coordinator answers
 * for a node that left the cluster state (action/NoSuchNodeException.java); it was observed with the others.
 * `ClusterBlockException` is left out: with a 503 (no master, state not recovered) it is handled as "unavailable"
 * like any 503, while with a 403 it is a lasting block (a table made read-only when the disk filled up).
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
