/**
 * Streaming reads: a result of any size in batches of bounded memory, through a server-side cursor.
 *
 * CrateDB keeps a cursor declared `WITH HOLD` in the session of the TCP connection that declared it, and answers
 * "No cursor named ..." on any other. So a cursor owns one connection of its own (PoolRegistry.pinned) for its
 * whole life: `DECLARE`, every `FETCH` and the `CLOSE` go over that socket, and nothing else does. The connection is
 * closed with the cursor, which also ends the cursor on the server should `CLOSE` itself fail.
 */
import { CrateArgumentError, CrateError } from '../shared/errors.js';
import { quote } from '../shared/sql-text.js';
import { sqlTokens } from '../shared/sql-tokens.js';
import { describeTransientAnswer, errorFromResponse, sqlOutcome, type SqlAnswer } from './answers.js';
import { CallLimits } from './call-limits.js';
import { serializeRequestBody } from './encode.js';
import { CrateDBError, inStatement } from './errors.js';
import { CrateCursorError, DEFAULT_CURSOR_BATCH_SIZE, type CursorBatch, type CursorOptions } from './cursor-api.js';
import { beginTrace, byteLength, failoverObserver, isTraced, traceContext, type CrateTraceContext } from './diagnostics.js';
import { attemptOn, failover, whenStopped, type FailoverNodes, type Outcome } from './failover.js';
import { TransportError, describeTransportError, type HttpResponse } from './http-exchange.js';
import type { PinnedConnection } from './transport-api.js';

export { CrateCursorError, DEFAULT_CURSOR_BATCH_SIZE, type CursorBatch, type CursorOptions } from './cursor-api.js';

/** What a cursor needs of its CrateClient; built by the client (client.ts, `cursor()`). */
export interface CursorHost {
  /** Servers, hang probe and limits, shared with the client's other requests (failover.ts). */
  readonly nodes: FailoverNodes;
  readonly connectTimeout: number;
  /** The client's default schema, for the diagnostics context. */
  readonly schema?: string | undefined;
  /** A new connection of its own to `server`, and the path of `/_sql` there. */
  connect(server: string): { connection: PinnedConnection; sqlPath: string };
  headers: Readonly<Record<string, string>>;
  /** The answer to a statement as `sql()` reads it: decoded rows, or the typed error CrateDB's answer means. */
  read(server: string, response: HttpResponse, stmt: string, args: unknown[] | undefined): CursorBatch;
}

/**
 * Refuses, before anything is sent, what CrateDB's DECLARE cannot take: its grammar accepts a query starting with
 * SELECT or VALUES only (6.4.3 answers `expecting {'SELECT', 'VALUES'}` for WITH, a parenthesis or SHOW).
 */
export function checkCursorStatement(stmt: string): void {
  const first = firstWord(stmt);
  if (first === 'SELECT' || first === 'VALUES') return;
  const why =
    first === 'WITH'
      ? "CrateDB's DECLARE takes a query starting with SELECT or VALUES, not WITH; move the WITH into a subquery (SELECT ... FROM (...) AS t)"
      : first === undefined
        ? 'the statement is empty'
        : `a cursor reads the result of a query (SELECT or VALUES), and ${first} is not one`;
  throw new CrateArgumentError(`client.cursor(): ${why}${inStatement(stmt)}`);
}

function checkBatchSize(batchSize: unknown): number {
  if (batchSize === undefined) return DEFAULT_CURSOR_BATCH_SIZE;
  // FETCH 0 is not an end marker: CrateDB 6.4.3 never answered it.
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new CrateArgumentError(`client.cursor(): batchSize must be a whole number of at least 1, got ${String(batchSize)}`);
  }
  return batchSize;
}

/** The upper-cased first word past whitespace and comments; else the first character of whatever comes first. */
function firstWord(stmt: string): string | undefined {
  const first = sqlTokens(stmt).next().value;
  if (first === undefined) return undefined;
  return first.kind === 'word' ? first.text.toUpperCase() : stmt[first.start];
}

function cursorName(): string {
  return `drizzle_cratedb_cursor_${randomHex(8)}`;
}

/** The connection a cursor lives on, and the requests it sends there one at a time. */
class PinnedSession {
  constructor(
    private readonly host: CursorHost,
    readonly server: string,
    private readonly connection: PinnedConnection,
    private readonly sqlPath: string,
    private readonly trace: CrateTraceContext | undefined,
  ) {}

  get lost(): string | undefined {
    return this.connection.lost;
  }

  /** One statement on this connection, stopped when `stop` aborts. */
  async exchange(stmt: string, args: readonly unknown[] | undefined, stop: AbortSignal): Promise<Outcome<HttpResponse, SqlAnswer>> {
    const body = serializeRequestBody(args === undefined || args.length === 0 ? { stmt } : { stmt, args });
    const pending = this.connection.exchange({ method: 'POST', path: this.sqlPath, headers: this.host.headers, body });
    const unlisten = whenStopped(stop, (reason) => pending.abort(reason));
    const { trace } = this;
    if (trace) trace.bytesSent += byteLength(body);
    try {
      const response = await pending.response;
      if (trace) {
        trace.status = response.status;
        trace.bytesReceived += byteLength(response.body);
      }
      return { type: 'answer', value: response };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const described = describeTransportError(error, this.host.connectTimeout);
      return { type: 'failed', requestSent: error.requestSent, description: described.description, kind: described.kind, cause: error };
    } finally {
      unlisten();
    }
  }

  /**
   * A FETCH or CLOSE: one attempt on this connection and never another server (the cursor lives here), within the
   * client's timeout, the caller's signal and the hang probe. Rejects with the caller's abort reason.
   */
  async send(stmt: string, args: readonly unknown[] | undefined, signal: AbortSignal | undefined): Promise<SendOutcome> {
    const lost = this.connection.lost;
    if (lost !== undefined) return { failure: `connection lost: ${lost}`, requestSent: false, kind: 'connection' };
    const limits = new CallLimits(this.host.nodes.timeout, signal);
    try {
      if (limits.stopped?.type === 'abort') throw limits.stopped.reason;
      const attempted = await attemptOn(this.host.nodes.hangs, this.server, limits, (_server, stop) => this.exchange(stmt, args, stop));
      if (attempted.type === 'answer') return { response: attempted.value };
      // A single attempt on a pinned connection answers or fails; anything else is a bug of this package.
      if (attempted.type !== 'failed') throw new CrateError(`unexpected ${attempted.type} outcome on a cursor's connection`);
      const { failure, kind, cause } = attempted;
      const requestSent = 'requestSent' in failure && failure.requestSent;
      const description = failure.type === 'deadline' ? `no answer within the timeout of ${this.host.nodes.timeout} ms` : attempted.description;
      return { failure: description, requestSent, kind, cause };
    } finally {
      limits.dispose();
    }
  }

  destroy(): void {
    this.connection.destroy();
  }
}

type SendOutcome =
  | { response: HttpResponse }
  | { failure: string; requestSent: boolean; kind: 'connection' | 'timeout'; cause?: unknown };

/**
 * Declares the cursor through the failover engine, as any read: round-robin, a server that cannot be reached or is
 * unavailable is set aside and the next one tried, transient cluster errors go round again within `retryTimeout`.
 * DECLARE only reads, and a connection that failed took its session (and any half-declared cursor) with it, so trying
 * elsewhere is always safe. Each attempt opens a connection of its own; all but the one that answered are dropped.
 */
async function declare(
  host: CursorHost,
  declaration: string,
  stmt: string,
  args: readonly unknown[] | undefined,
  opts: CursorOptions,
  trace: CrateTraceContext | undefined,
): Promise<PinnedSession> {
  const errorArgs = opts.includeArgsInErrors && args ? [...args] : undefined;
  const { value: declared } = await failover(
    host.nodes,
    {
      idempotent: true,
      // A DECLARE is a read and is hedged like one; a copy that answered after another won holds a connection and a
      // cursor of its own, closed with that connection. FETCH and CLOSE are never hedged: they belong to one connection.
      hedge: true,
      discard: ({ session }: { session: PinnedSession }) => session.destroy(),
      signal: opts.signal,
      details: { statement: stmt, args: errorArgs },
      task: 'declare the cursor',
      during: ' while declaring the cursor',
      suffix: inStatement(stmt),
      unknown: '',
      answerError: ({ server, response }, extra) => errorFromResponse(server, response, stmt, errorArgs, extra),
      observer: failoverObserver(trace, describeTransientAnswer),
    },
    async (server, stop) => {
      const { connection, sqlPath } = host.connect(server);
      const session = new PinnedSession(host, server, connection, sqlPath, trace);
      let kept = false;
      try {
        const sent = await session.exchange(declaration, args, stop);
        if (sent.type !== 'answer') return sent;
        const outcome = sqlOutcome(server, sent.value, { session, response: sent.value });
        kept = outcome.type === 'answer';
        return outcome;
      } finally {
        if (!kept) session.destroy();
      }
    },
  );
  const { session, response } = declared;
  try {
    host.read(session.server, response, stmt, errorArgs);
  } catch (error) {
    session.destroy();
    throw error;
  }
  return session;
}

/**
 * Reads `stmt` through a cursor, one batch per FETCH. The cursor is closed when the result ends, when the loop
 * breaks or throws (for-await calls `return()`), and at once when `signal` aborts.
 */
export function openCursor(host: CursorHost, stmt: string, args: readonly unknown[] | undefined, opts: CursorOptions = {}): AsyncIterable<CursorBatch> {
  checkCursorStatement(stmt);
  const batchSize = checkBatchSize(opts.batchSize);
  const body = stmt.replace(/[\s;]+$/, '');
  return {
    [Symbol.asyncIterator]: () => (isTraced('cursor') ? tracedBatches(host, body, args, batchSize, opts) : batches(host, body, args, batchSize, opts, undefined)),
  };
}

/**
 * {@link batches} as one traced operation (diagnostics.ts): from the first batch asked for until the cursor is closed,
 * whether the loop ran to the end, broke or threw.
 */
async function* tracedBatches(host: CursorHost, stmt: string, args: readonly unknown[] | undefined, batchSize: number, opts: CursorOptions): AsyncGenerator<CursorBatch, void, undefined> {
  const trace = traceContext('cursor', { statement: stmt, schema: host.schema });
  if (trace === undefined) return yield* batches(host, stmt, args, batchSize, opts, undefined);
  trace.rowsReturned = 0;
  const inner = batches(host, stmt, args, batchSize, opts, trace);
  const open = beginTrace(trace, () => inner.next());
  let failed: { error: unknown } | undefined;
  try {
    for (let next = await open.promise; !next.done; next = await inner.next()) yield next.value;
  } catch (error) {
    failed = { error };
    throw error;
  } finally {
    // A loop that broke early: the inner generator closes the cursor, which is part of the operation.
    try {
      await inner.return(undefined);
    } finally {
      open.finish(failed);
    }
  }
}

async function* batches(
  host: CursorHost,
  stmt: string,
  args: readonly unknown[] | undefined,
  batchSize: number,
  opts: CursorOptions,
  trace: CrateTraceContext | undefined,
): AsyncGenerator<CursorBatch, void, undefined> {
  const name = quote(cursorName());
  const errorArgs = opts.includeArgsInErrors && args ? [...args] : undefined;
  const session = await declare(host, `DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${stmt}`, stmt, args, opts, trace);
  const fetch = `FETCH ${batchSize} FROM ${name}`;
  let delivered = 0;
  let open = true;
  let fetching = false;
  let closing: Promise<void> | undefined;
  // An abort between two FETCHes (the caller is busy with a batch) closes the cursor at once; during a FETCH the
  // request is aborted, which drops the connection and the cursor with it.
  const onAbort = (): void => {
    if (!fetching && open) {
      open = false;
      closing = closeCursor(session, name);
    }
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      fetching = true;
      let outcome: SendOutcome;
      try {
        outcome = await session.send(fetch, undefined, opts.signal);
      } catch (error) {
        // Aborted in flight: undici dropped the socket, and the cursor with it. A CLOSE now would only open a new one.
        open = false;
        throw error;
      } finally {
        fetching = false;
      }
      if (!('response' in outcome)) {
        open = false;
        throw lostError(session.server, outcome.kind, outcome.failure, stmt, errorArgs, delivered, outcome.cause);
      }
      let batch: CursorBatch;
      try {
        batch = host.read(session.server, outcome.response, fetch, undefined);
      } catch (error) {
        // The connection was replaced under us (the cursor is gone): a lost connection, not a statement error.
        if (error instanceof CrateDBError && /No cursor named/.test(error.serverMessage ?? '')) {
          open = false;
          throw lostError(session.server, 'connection', 'the cursor is gone from the server session', stmt, errorArgs, delivered, error);
        }
        throw error;
      }
      if (batch.rows.length > 0) {
        delivered += batch.rows.length;
        if (trace) trace.rowsReturned = delivered;
        yield batch;
      }
      if (batch.rows.length < batchSize) return;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (closing) await closing;
    else if (open) await closeCursor(session, name);
    else session.destroy();
  }
}

/** CLOSE on the cursor's connection, then the connection itself; a failed CLOSE still ends the cursor with its session. */
async function closeCursor(session: PinnedSession, name: string): Promise<void> {
  try {
    if (session.lost === undefined) await session.send(`CLOSE ${name}`, undefined, undefined);
  } catch {
    // The connection is dropped below either way.
  } finally {
    session.destroy();
  }
}

function lostError(
  server: string,
  kind: 'connection' | 'timeout',
  failure: string,
  stmt: string,
  args: unknown[] | undefined,
  delivered: number,
  cause: unknown,
): CrateCursorError {
  return new CrateCursorError(
    `CrateDB at ${server}: ${failure}; the cursor's result was cut short after ${delivered} rows were delivered, so it is incomplete${inStatement(stmt)}`,
    { kind, statement: stmt, args, cause },
    server,
    delivered,
  );
}

/** `bytes` random bytes as hex, with the Web Crypto every supported runtime has. */
function randomHex(bytes: number): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
