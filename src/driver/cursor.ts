/**
 * Streaming reads: a result of any size in batches of bounded memory, through a server-side cursor.
 *
 * CrateDB keeps a cursor declared `WITH HOLD` in the session of the TCP connection that declared it, and answers
 * "No cursor named ..." on any other. So a cursor owns one connection of its own (PoolRegistry.pinned) for its
 * whole life: `DECLARE`, every `FETCH` and the `CLOSE` go over that socket, and nothing else does. The connection is
 * closed with the cursor, which also ends the cursor on the server should `CLOSE` itself fail.
 */
import type { Client } from 'undici';
import { CrateArgumentError } from '../shared/errors.js';
import { quote } from '../shared/sql-text.js';
import { sqlTokens } from '../shared/sql-tokens.js';
import { CallLimits, type Stop } from './call-limits.js';
import { serializeRequestBody } from './encode.js';
import { CrateConnectionError, CrateDBError, inStatement } from './errors.js';
import { CrateCursorError, DEFAULT_CURSOR_BATCH_SIZE, type CursorBatch, type CursorOptions } from './cursor-api.js';
import type { HangDetector } from './hang-detector.js';
import { TransportError, describeTransportError, exchange, type HttpResponse } from './transport.js';

export { CrateCursorError, DEFAULT_CURSOR_BATCH_SIZE, type CursorBatch, type CursorOptions } from './cursor-api.js';

/** What a cursor needs of its CrateClient; built by the client (client.ts, `cursor()`). */
export interface CursorHost {
  /** Per-request timeout in ms (0: none), as for `sql()`. */
  readonly timeout: number;
  readonly connectTimeout: number;
  readonly hangs: HangDetector | undefined;
  readonly closed: boolean;
  nextServer(tried: readonly string[]): string | undefined;
  serverFailed(server: string, description: string): void;
  serverAnswered(server: string): void;
  /** A new connection of its own to `server`, and the path of `/_sql` there. */
  connect(server: string): { client: Client; sqlPath: string };
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
  #lost: string | undefined;

  constructor(
    private readonly host: CursorHost,
    readonly server: string,
    private readonly client: Client,
    private readonly sqlPath: string,
  ) {
    // After a disconnect undici would open a new socket for the next request: a new session without the cursor.
    client.once('disconnect', (_origin, _targets, error) => (this.#lost ??= error?.message ?? 'the connection closed'));
  }

  get lost(): string | undefined {
    return this.#lost;
  }

  /**
   * One statement on this connection, within the client's timeout, the caller's signal, and (when probing is on) the
   * hang detector. Rejects with the caller's abort reason, a TransportError, or `deadline`/`hung` described.
   */
  async send(stmt: string, args: readonly unknown[] | undefined, signal: AbortSignal | undefined): Promise<SendOutcome> {
    if (this.#lost !== undefined) return { failure: `connection lost: ${this.#lost}`, requestSent: false, kind: 'connection' };
    const body = serializeRequestBody(args === undefined || args.length === 0 ? { stmt } : { stmt, args });
    const limits = new CallLimits(this.host.timeout, signal);
    if (limits.stopped?.type === 'abort') throw limits.stopped.reason;
    const pending = exchange(this.client, { method: 'POST', path: this.sqlPath, headers: this.host.headers, body });
    let hung: string | undefined;
    const watch = this.host.hangs?.watch(this.server, (description) => {
      hung = description;
      pending.abort(new Error(description));
    });
    const unlisten = limits.onStop((stop) => pending.abort(stop.type === 'abort' ? toError(stop.reason) : new Error('deadline')));
    try {
      return { response: await pending.response };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      // Read again: the limits may have struck while waiting (TypeScript narrowed the getter above).
      const stopped = limits.stopped as Stop | undefined;
      if (error.aborted && stopped?.type === 'abort') throw stopped.reason;
      if (error.aborted && stopped?.type === 'deadline') {
        return { failure: `no answer within the timeout of ${this.host.timeout} ms`, requestSent: error.requestSent, kind: 'timeout' };
      }
      if (error.aborted && hung !== undefined) return { failure: hung, requestSent: error.requestSent, kind: 'connection' };
      const described = describeTransportError(error, this.host.connectTimeout);
      return { failure: described.description, requestSent: error.requestSent, kind: described.kind, cause: error };
    } finally {
      watch?.stop();
      unlisten();
      limits.dispose();
    }
  }

  destroy(): void {
    this.#lost ??= 'closed';
    this.client.destroy().catch(() => {});
  }
}

type SendOutcome =
  | { response: HttpResponse }
  | { failure: string; requestSent: boolean; kind: 'connection' | 'timeout'; cause?: unknown };

/**
 * Declares the cursor on a server picked like any read (round-robin, skipping servers set aside); a server that
 * cannot be reached is set aside and the next one tried. DECLARE only reads, and a connection that failed took its
 * session (and any half-declared cursor) with it, so trying elsewhere is always safe.
 */
async function declare(host: CursorHost, declaration: string, stmt: string, args: readonly unknown[] | undefined, opts: CursorOptions): Promise<PinnedSession> {
  const errorArgs = opts.includeArgsInErrors && args ? [...args] : undefined;
  const tried: string[] = [];
  const failures: { server: string; error: string }[] = [];
  for (;;) {
    if (host.closed) throw new CrateDBError('CrateClient is closed', { kind: 'other', statement: stmt });
    const server = host.nextServer(tried);
    if (server === undefined) {
      const list = failures.map((failure) => `${failure.server}: ${failure.error}`).join('; ');
      throw new CrateConnectionError(`No CrateDB server could declare the cursor (${list})${inStatement(stmt)}`, { kind: 'connection', statement: stmt, args: errorArgs }, failures);
    }
    tried.push(server);
    const { client, sqlPath } = host.connect(server);
    const session = new PinnedSession(host, server, client, sqlPath);
    let outcome: SendOutcome;
    try {
      outcome = await session.send(declaration, args, opts.signal);
    } catch (error) {
      session.destroy();
      throw error;
    }
    if ('response' in outcome) {
      host.serverAnswered(server);
      try {
        host.read(server, outcome.response, stmt, errorArgs);
      } catch (error) {
        session.destroy();
        throw error;
      }
      return session;
    }
    session.destroy();
    if (outcome.kind === 'timeout') {
      throw new CrateConnectionError(`CrateDB at ${server}: ${outcome.failure} while declaring the cursor${inStatement(stmt)}`, { kind: 'timeout', statement: stmt, args: errorArgs }, [
        { server, error: outcome.failure },
      ]);
    }
    host.serverFailed(server, outcome.failure);
    failures.push({ server, error: outcome.failure });
  }
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
    [Symbol.asyncIterator]: () => batches(host, body, args, batchSize, opts),
  };
}

async function* batches(host: CursorHost, stmt: string, args: readonly unknown[] | undefined, batchSize: number, opts: CursorOptions): AsyncGenerator<CursorBatch, void, undefined> {
  const name = quote(cursorName());
  const errorArgs = opts.includeArgsInErrors && args ? [...args] : undefined;
  const session = await declare(host, `DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${stmt}`, stmt, args, opts);
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

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** `bytes` random bytes as hex, with the Web Crypto every supported runtime has. */
function randomHex(bytes: number): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
