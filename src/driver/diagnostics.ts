/**
 * The driver's diagnostics channels, a stable interface for tracers and APM agents (docs/observability.md):
 * - one `TracingChannel` per kind of operation: `drizzle-cratedb:query`, `drizzle-cratedb:bulk`,
 *   `drizzle-cratedb:cursor`, `drizzle-cratedb:blob` and `drizzle-cratedb:copy`, each published with a
 *   {@link CrateTraceContext};
 * - a plain channel, `drizzle-cratedb:failover`, with a {@link CrateFailoverEvent} each time a node is set aside, a
 *   set-aside node answers again, or a request is sent again.
 *
 * Nothing secret goes out: a context holds the statement's text with its placeholders, never the values bound to
 * them, nor credentials (a node is `host:port`).
 *
 * `node:diagnostics_channel` is loaded through `process.getBuiltinModule`, never imported: this module is part of
 * every runtime's bundle, and Vercel's edge sandbox (no `process`) or a bundler that cannot resolve `node:` modules
 * would break on a static import. Where it is missing, nothing is published and nothing fails.
 *
 * With no subscriber, an operation costs one `hasSubscribers` check per channel: no context is built.
 */
import type { TracingChannel, Channel } from 'node:diagnostics_channel';
import type { CrateErrorKind } from './errors.js';
import type { FailoverObserver } from './failover.js';
import type { HedgeEvent } from './hedge.js';
import { summarizeStatement, type StatementSummary } from './statement-summary.js';

export type CrateOperationKind = 'query' | 'bulk' | 'cursor' | 'blob' | 'copy';

/**
 * What a `drizzle-cratedb:*` tracing channel publishes: one object per operation, the same for its `start`, `end`,
 * `asyncStart`, `asyncEnd` and `error` events. Fields below `batchSize` are filled in as the operation goes; read
 * them at `asyncEnd`. `error` is what the caller gets thrown (TracingChannel's convention); its message may quote
 * CrateDB's, which can quote a value (`Cannot cast value ...`), so copy its code and kind, not its message. There is
 * no `result`: rows are the application's data.
 */
export interface CrateTraceContext {
  readonly kind: CrateOperationKind;
  /** The SQL text as sent, placeholders (`?`, `$1`) included, never the values; undefined for blob requests. */
  readonly statement: string | undefined;
  /** The statement's first keyword upper-cased (`SELECT`, `INSERT`, `COPY`), or a blob request's method (`PUT`). */
  readonly operationName: string;
  /** The table, when the statement names exactly one (as written, without quotes); a blob request's blob table. */
  readonly table: string | undefined;
  /** Operations and tables in the order written (`SELECT users posts`), OpenTelemetry's `db.query.summary`. */
  readonly summary: string;
  /** The client's default schema, when it has one. */
  readonly schema: string | undefined;
  /** Bulk operations: the number of argument lists sent. */
  readonly batchSize: number | undefined;
  /** The node of the latest attempt, `host:port`. */
  node: string | undefined;
  serverAddress: string | undefined;
  serverPort: number | undefined;
  /** Attempts made: 1 unless the request failed over or was sent again. */
  attempt: number;
  /** `success`; `error`; `unknown` when a write failed in a way that leaves open whether it was applied. */
  outcome: 'success' | 'error' | 'unknown' | undefined;
  /** CrateDB's error code (`4091`), when it answered with one. */
  errorCode: number | undefined;
  /** The HTTP status of the last answer. */
  status: number | undefined;
  /** The error's kind (`duplicate-key`, `connection`, `timeout`, ...), as on CrateDBError. */
  errorKind: CrateErrorKind | undefined;
  /** Rows the client received (a SELECT's, a RETURNING's, a cursor's over all its batches). */
  rowsReturned: number | undefined;
  /** Rows written, as CrateDB counts them (bulk: summed over the items that succeeded). */
  rowsWritten: number | undefined;
  /** Bulk: items CrateDB reported as failed. */
  failedItems: number | undefined;
  /** Request bodies sent, over all attempts, in bytes (compressed size when compressed). */
  bytesSent: number;
  /** Response bodies received, in bytes (blob downloads, which stream to the caller, are not counted). */
  bytesReceived: number;
  error?: unknown;
}

/** What `drizzle-cratedb:failover` publishes. */
export interface CrateFailoverEvent {
  /**
   * - `node-set-aside`: a node failed and is skipped for `retryInterval`;
   * - `node-back`: a node that had been set aside answered again;
   * - `resend`: a request goes out again (to the next node, or the same one after transient cluster errors);
   * - `hedge-sent`: a read had not answered after the hedge delay, and a copy went to another node (`attempt` counts
   *   the copies, 1 for the first hedge); `hedge-won`: a copy answered first (`attempt` 0 is the read's first copy),
   *   the others were aborted; `hedge-skipped`: a hedge was due but not sent (`reason`: budget, no-server or busy).
   */
  type: 'node-set-aside' | 'node-back' | 'resend' | 'hedge-sent' | 'hedge-won' | 'hedge-skipped';
  /** `host:port`. For `resend`, the node the request now goes to. */
  node: string;
  /** Why: the failure of the node (`node-set-aside`) or of the previous attempt (`resend`). */
  reason: string | undefined;
  /** `resend`: the number of the attempt now sent (2 for the first resend); the copy's number for hedge events. */
  attempt: number | undefined;
  /** Hedge events: milliseconds since the read's first copy was sent. */
  afterMs?: number | undefined;
  /** The operation, when it is being traced: the same object its tracing channel publishes. */
  context: CrateTraceContext | undefined;
}

type DiagnosticsModule = typeof import('node:diagnostics_channel');

function loadDiagnostics(): DiagnosticsModule | undefined {
  try {
    const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = host?.getBuiltinModule?.('node:diagnostics_channel') as DiagnosticsModule | undefined;
    return typeof module?.tracingChannel === 'function' ? module : undefined;
  } catch {
    return undefined;
  }
}

const diagnostics = loadDiagnostics();

/** `node:diagnostics_channel` where the runtime has it (with `tracingChannel`), else undefined. */
export function diagnosticsModule(): DiagnosticsModule | undefined {
  return diagnostics;
}

export const CHANNEL_NAMES = {
  query: 'drizzle-cratedb:query',
  bulk: 'drizzle-cratedb:bulk',
  cursor: 'drizzle-cratedb:cursor',
  blob: 'drizzle-cratedb:blob',
  copy: 'drizzle-cratedb:copy',
  failover: 'drizzle-cratedb:failover',
} as const;

type Tracing = TracingChannel<unknown, CrateTraceContext>;

// Created once, at load: Node keeps channels in a weak map, and a TracingChannel held here keeps its subscribers.
const channels: Readonly<Record<CrateOperationKind, Tracing>> | undefined = diagnostics && {
  query: diagnostics.tracingChannel(CHANNEL_NAMES.query),
  bulk: diagnostics.tracingChannel(CHANNEL_NAMES.bulk),
  cursor: diagnostics.tracingChannel(CHANNEL_NAMES.cursor),
  blob: diagnostics.tracingChannel(CHANNEL_NAMES.blob),
  copy: diagnostics.tracingChannel(CHANNEL_NAMES.copy),
};
const publishedFailover: Channel | undefined = diagnostics?.channel(CHANNEL_NAMES.failover);
let tracing = channels;
let failoverChannel = publishedFailover;

/**
 * For the benchmark's side-by-side (bench/observability.ts): `false` makes the driver behave as on a runtime without
 * diagnostics channels, where nothing is checked or published. Not part of the public API.
 */
export function setChannelsEnabled(enabled: boolean): void {
  tracing = enabled ? channels : undefined;
  failoverChannel = enabled ? publishedFailover : undefined;
}

/**
 * A channel's or tracing channel's `hasSubscribers`: a getter on Node.js, Deno and Bun, a method in workerd
 * (`nodejs_compat`), undefined on a TracingChannel of Bun 1.4.5.
 */
function subscribed(channel: object): boolean | undefined {
  const flag = (channel as { hasSubscribers?: unknown }).hasSubscribers;
  return typeof flag === 'function' ? Boolean((flag as () => unknown).call(channel)) : (flag as boolean | undefined);
}

/**
 * Whether anyone listens to `kind`'s channel. Where the TracingChannel cannot tell, each of its five channels is
 * asked, since a subscriber may listen to `asyncEnd` alone.
 */
export function isTraced(kind: CrateOperationKind): boolean {
  const channel = tracing?.[kind];
  if (channel === undefined) return false;
  const any = subscribed(channel);
  if (any !== undefined) return any;
  const { start, end, asyncStart, asyncEnd, error } = channel;
  return [start, end, asyncStart, asyncEnd, error].some((one) => subscribed(one) === true);
}

/** Whether anyone listens to query or copy: client.sql() publishes on one of them, by the statement's first word. */
export function isSqlTraced(): boolean {
  return tracing !== undefined && (isTraced('query') || isTraced('copy'));
}

/**
 * A new context for an operation about to start, or undefined when its channel has no subscriber. A statement of
 * `client.sql()` starting with COPY goes to the copy channel.
 */
export function traceContext(
  kind: CrateOperationKind,
  what: { statement: string; schema: string | undefined; batchSize?: number } | { method: string; table: string },
): CrateTraceContext | undefined {
  const described =
    'statement' in what ? summaryOf(what.statement) : { operation: what.method, table: what.table, summary: `${what.method} ${what.table}` };
  if (kind === 'query' && described.operation === 'COPY') kind = 'copy';
  if (!isTraced(kind)) return undefined;
  return {
    kind,
    statement: 'statement' in what ? what.statement : undefined,
    operationName: described.operation,
    table: described.table,
    summary: described.summary,
    schema: 'statement' in what ? what.schema : undefined,
    batchSize: 'statement' in what ? what.batchSize : undefined,
    node: undefined,
    serverAddress: undefined,
    serverPort: undefined,
    attempt: 0,
    outcome: undefined,
    errorCode: undefined,
    status: undefined,
    errorKind: undefined,
    rowsReturned: undefined,
    rowsWritten: undefined,
    failedItems: undefined,
    bytesSent: 0,
    bytesReceived: 0,
  };
}

/**
 * Runs `run` as a traced operation: `start` (with `run` inside the start channel's stores, so a tracer's bound
 * context is active in it), `end`, then `asyncStart`/`asyncEnd` when it settles, `error` before them if it rejects.
 * `traced` fills in the context from the result before `asyncEnd`.
 */
export async function traceOperation<T>(ctx: CrateTraceContext, run: () => Promise<T>, traced?: (value: T) => void): Promise<T> {
  const span = beginTrace(ctx, run);
  try {
    const value = await span.promise;
    ctx.outcome = 'success';
    traced?.(value);
    span.finish();
    return value;
  } catch (error) {
    span.finish({ error });
    throw error;
  }
}

export interface OpenTrace<T> {
  promise: Promise<T>;
  /** Publishes `error` (when the operation failed), `asyncStart` and `asyncEnd`; only the first call counts. */
  finish(failed?: { error: unknown }): void;
}

/** `start`, `run()` in the stores bound to it, `end`; the caller calls `finish()` when the operation is over. */
export function beginTrace<T>(ctx: CrateTraceContext, run: () => Promise<T>): OpenTrace<T> {
  const channel = channels![ctx.kind];
  let promise: Promise<T>;
  try {
    promise = typeof channel.start.runStores === 'function' ? channel.start.runStores(ctx, run) : (channel.start.publish(ctx), run());
  } catch (error) {
    promise = Promise.reject(error);
  }
  channel.end.publish(ctx);
  let finished = false;
  return {
    promise,
    finish(failed?: { error: unknown }) {
      if (finished) return;
      finished = true;
      if (failed) {
        recordError(ctx, failed.error);
        channel.error.publish(ctx);
      } else {
        ctx.outcome ??= 'success';
      }
      channel.asyncStart.publish(ctx);
      channel.asyncEnd.publish(ctx);
    },
  };
}

function recordError(ctx: CrateTraceContext, error: unknown): void {
  ctx.error = error;
  const details = error as { serverCode?: unknown; status?: unknown; kind?: unknown; outcomeUnknown?: unknown };
  ctx.outcome = details.outcomeUnknown === true ? 'unknown' : 'error';
  if (typeof details.serverCode === 'number') ctx.errorCode = details.serverCode;
  if (typeof details.status === 'number') ctx.status = details.status;
  if (typeof details.kind === 'string') ctx.errorKind = details.kind as CrateErrorKind;
}

/**
 * Summaries of recent statements: an application sends the same few texts over and over (prepared queries), and
 * lexing one costs more than the rest of a traced operation. Long texts (multi-row inserts) are not kept.
 */
const summaries = new Map<string, StatementSummary>();
const SUMMARIES_KEPT = 256;
const SUMMARY_CACHE_MAX_LENGTH = 4096;

function summaryOf(statement: string): StatementSummary {
  let summary = summaries.get(statement);
  if (summary === undefined) {
    summary = summarizeStatement(statement);
    if (statement.length <= SUMMARY_CACHE_MAX_LENGTH) {
      if (summaries.size >= SUMMARIES_KEPT) summaries.delete(summaries.keys().next().value!);
      summaries.set(statement, summary);
    }
  }
  return summary;
}

const nodes = new Map<string, { node: string; address: string; port: number }>();

/** `host:port` of a configured server URL (never its user info), and the parts. */
export function nodeOf(server: string): { node: string; address: string; port: number } {
  let known = nodes.get(server);
  if (known === undefined) {
    const url = new URL(server);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    known = { node: `${url.hostname}:${port}`, address: url.hostname, port };
    // A client's servers are few and fixed; redirects (blobs) are not looked up here.
    if (nodes.size < 1024) nodes.set(server, known);
  }
  return known;
}

/** UTF-8 length of a request or response body, without encoding it. */
export function byteLength(body: string | Uint8Array | undefined): number {
  if (body === undefined) return 0;
  if (typeof body !== 'string') return body.byteLength;
  let bytes = body.length;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair: 2 UTF-16 units, 4 bytes.
      bytes += 1;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * A failover observer for one request when anyone listens (to its operation's channel, given as `ctx`, or to the
 * failover channel); undefined otherwise, which costs the engine nothing. `describe` says why a transient answer
 * failed, without its message (a message may quote a value).
 */
export function failoverObserver<A>(ctx: CrateTraceContext | undefined, describe: (answer: A) => string): FailoverObserver<A> | undefined {
  const publishing = failoverChannel !== undefined && subscribed(failoverChannel) === true;
  if (ctx === undefined && !publishing) return undefined;
  let lastFailure: string | undefined;
  const publish = (event: Omit<CrateFailoverEvent, 'context'>): void => {
    if (failoverChannel !== undefined && subscribed(failoverChannel) === true) failoverChannel.publish({ ...event, context: ctx });
  };
  return {
    attempt(server, attempt) {
      const { node, address, port } = nodeOf(server);
      if (ctx) {
        ctx.attempt = attempt;
        ctx.node = node;
        ctx.serverAddress = address;
        ctx.serverPort = port;
      }
      if (attempt > 1) publish({ type: 'resend', node, reason: lastFailure, attempt });
    },
    failed(server, why, setAside) {
      lastFailure = 'description' in why ? why.description : describe(why.answer);
      if (setAside) publish({ type: 'node-set-aside', node: nodeOf(server).node, reason: lastFailure, attempt: undefined });
    },
    back(server) {
      publish({ type: 'node-back', node: nodeOf(server).node, reason: undefined, attempt: undefined });
    },
  };
}

/**
 * Hedge events for the failover channel, besides the user's own `onEvent`. Published with the node as `host:port`
 * and none of the hedger's message text, which names server URLs as configured.
 */
export function hedgeEventSink(user: ((event: HedgeEvent) => void) | undefined): (event: HedgeEvent) => void {
  return (event) => {
    user?.(event);
    if (failoverChannel === undefined || subscribed(failoverChannel) !== true) return;
    const node = nodeOf(event.type === 'skipped' ? event.first : event.server).node;
    failoverChannel.publish({
      type: `hedge-${event.type}`,
      node,
      reason: event.type === 'skipped' ? event.reason : undefined,
      attempt: event.type === 'skipped' ? undefined : event.copy,
      afterMs: event.afterMs,
      context: undefined,
    } satisfies CrateFailoverEvent);
  };
}
