/**
 * The failover engine: the one place that decides where a request goes and whether it may go again. The query client,
 * the blob client and the cursor's DECLARE all send through {@link failover}; a cursor's FETCH and CLOSE, which must
 * stay on their connection, go through {@link attemptOn} alone. Either way a request gets the same node choice
 * (servers.ts), hang probe (hang-detector.ts), transient-error table (transient.ts), deadlines (call-limits.ts) and
 * the rule that nothing is applied twice (retry.ts): a request that may have reached a server is re-sent only when it
 * is idempotent.
 */
import { CallLimits, type Stop } from './call-limits.js';
import { CrateConnectionError, CrateDBError, type CrateErrorDetails, type CrateErrorKind, type ServerFailure } from './errors.js';
import type { HangDetector } from './hang-detector.js';
import type { Hedger } from './hedge.js';
import { backoffDelay, transientRetryDelay, verdictFor, type AttemptFailure } from './retry.js';
import type { ServerHealth } from './servers.js';

/** What the engine needs of a client family: its servers' health and hang probe, and the client's limits. */
export interface FailoverNodes {
  readonly health: ServerHealth;
  /** Undefined when probing is off (`probeAfter: 0`). */
  readonly hangs: HangDetector | undefined;
  readonly timeout: number;
  readonly retryTimeout: number;
  readonly backoffFactor: number;
  readonly isClosed: () => boolean;
  /** Hedged reads (hedge.ts); undefined or disabled: none. */
  readonly hedger?: Hedger | undefined;
}

/** The error details an answer carries when it is the last word (a status or CrateDB code, the server's message). */
export type AnswerDetails = Pick<CrateErrorDetails, 'status' | 'serverCode' | 'serverMessage'>;

/**
 * How one exchange with one server ended, as the caller's exchange tells it; the caller classified an answer with
 * transient.ts's `failoverFor`.
 */
export type Outcome<T, A> =
  | { type: 'answer'; value: T }
  /** 502/503/504: `description` goes into the error's list of failures. */
  | { type: 'unavailable'; description: string; details: AnswerDetails }
  /** One of CrateDB's transient cluster errors: `answer` becomes the error if no retry succeeds. */
  | { type: 'transient'; answer: A }
  /** Below HTTP. `requestSent` false: provably never reached a server. */
  | { type: 'failed'; requestSent: boolean; description: string; kind: 'connection' | 'timeout'; cause: unknown };

/** One exchange with `server`; it must stop (and resolve or reject, as it likes) when `stop` aborts. */
export type Exchange<T, A> = (server: string, stop: AbortSignal) => Promise<Outcome<T, A>>;

/** How an attempt ended, once the call's limits and the hang probe had their say. */
export type Attempted<T, A> =
  | Exclude<Outcome<T, A>, { type: 'failed' }>
  | { type: 'failed'; failure: AttemptFailure; description: string; kind: 'connection' | 'timeout'; cause: unknown };

/**
 * One exchange with one server, watched by the call's limits and, when probing is on, by the hang detector. Rejects
 * with the caller's abort reason; a deadline or a hang comes back as a failure of type `deadline` or `hung`.
 */
export async function attemptOn<T, A>(
  hangs: HangDetector | undefined,
  server: string,
  limits: CallLimits,
  exchange: Exchange<T, A>,
  cancel?: AbortSignal,
): Promise<Attempted<T, A>> {
  const stop = new AbortController();
  // A hedged copy that lost (hedge.ts): its request is aborted, and whatever it returns is ignored.
  const uncancel = cancel ? whenStopped(cancel, (reason) => stop.abort(reason)) : undefined;
  let hung: string | undefined;
  const watch = hangs?.watch(server, (description) => {
    hung = description;
    stop.abort(new Error(description));
  });
  const unlisten = limits.onStop((reason) => stop.abort(reason.type === 'abort' ? toError(reason.reason) : new Error('deadline')));
  let outcome: Outcome<T, A> | undefined;
  let thrown: unknown;
  try {
    outcome = await exchange(server, stop.signal);
  } catch (error) {
    thrown = error;
  } finally {
    watch?.stop();
    unlisten();
    uncancel?.();
  }
  // Whatever the exchange made of an abort, the engine knows why it aborted.
  if (stop.signal.aborted && (outcome === undefined || outcome.type === 'failed')) {
    const stopped = limits.stopped as Stop | undefined;
    const requestSent = outcome?.type === 'failed' ? outcome.requestSent : true;
    if (stopped?.type === 'abort') throw stopped.reason;
    if (stopped?.type === 'deadline') return { type: 'failed', failure: { type: 'deadline', requestSent }, description: 'deadline', kind: 'timeout', cause: thrown };
    if (hung !== undefined) {
      const stage = requestSent ? 'the request was sent, but' : 'the request was still waiting for a connection when';
      return { type: 'failed', failure: { type: 'hung', requestSent }, description: `${stage} ${hung}`, kind: 'connection', cause: thrown };
    }
  }
  if (outcome === undefined) throw thrown;
  if (outcome.type !== 'failed') return outcome;
  const { requestSent, description, kind, cause } = outcome;
  return { type: 'failed', failure: { type: 'transport', requestSent }, description, kind, cause };
}

/** A request as the engine sees it, and the words its errors use. */
export interface FailoverRequest<A, T = unknown> {
  /** Whether it may be sent again after it may have reached a server (reads, and what the caller says is safe). */
  idempotent: boolean;
  /**
   * Whether it may be hedged (hedge.ts): sent to another server while the first copy still runs. Reads only, and only
   * when also idempotent: two copies of a write running at once is never safe.
   */
  hedge?: boolean;
  /** Releases an answer that arrived after another copy of a hedged read had won (a body stream, a connection). */
  discard?: (value: T) => void;
  signal: AbortSignal | undefined;
  /** Carried by every error (statement, arguments). */
  details: Pick<CrateErrorDetails, 'statement' | 'args'>;
  /** `No CrateDB server could <task> (...)`: e.g. `serve the request`. */
  task: string;
  /** After the deadline's message, e.g. ` while declaring the cursor`. */
  during: string;
  /** Ends every message, e.g. ` — in statement: SELECT ...`. */
  suffix: string;
  /** Said when the request may have been applied: why the outcome is unknown and that it was not repeated. */
  unknown: string;
  /** The error for a transient answer that stands: `note` says how long it was retried. */
  answerError(answer: A, extra: { note?: string; outcomeUnknown?: boolean }): Error;
  /** Told of each attempt, failure and recovery (diagnostics.ts); absent when no one listens. */
  observer?: FailoverObserver<A> | undefined;
}

/** Watches one request's way through the servers. Calls are synchronous and must not throw. */
export interface FailoverObserver<A> {
  /** Attempt number `attempt` (1-based) is about to go to `server`. */
  attempt(server: string, attempt: number): void;
  /** An attempt failed in a way failover acts on; `setAside`: the server is now skipped for the retry interval. */
  failed(server: string, why: { description: string } | { answer: A }, setAside: boolean): void;
  /** A server that had been set aside answered. */
  back(server: string): void;
}

/**
 * Sends a request to one server after another until one answers or the failure rules say stop. Requests safe to
 * repeat go round the servers again after transient cluster errors, for `retryTimeout` from the first one; the call's
 * `timeout` and signal stop everything at once.
 */
export async function failover<T, A>(nodes: FailoverNodes, request: FailoverRequest<A, T>, exchange: Exchange<T, A>): Promise<{ server: string; value: T }> {
  if (nodes.isClosed()) throw new CrateDBError('CrateClient is closed', { kind: 'other', statement: request.details.statement });
  const { health } = nodes;
  const limits = new CallLimits(nodes.timeout, request.signal);
  const started = performance.now();
  // Opened by the first transient failure: a request that waited long for a node the cluster then dropped still
  // gets its full retryTimeout.
  let retryUntil: number | undefined;
  const failures: ServerFailure[] = [];
  let lastFailure: { kind: CrateErrorKind } & AnswerDetails = { kind: 'connection' };
  let tried: string[] = [];
  let round = 1;
  // Whether a server of this round said "try again later" (a transient cluster error, 502/503/504).
  let worthAnotherRound = false;
  let lastTransient: A | undefined;
  const fail = (message: string, details: Omit<CrateErrorDetails, 'statement' | 'args'>): never => {
    throw new CrateConnectionError(`${message}${request.suffix}`, { ...details, ...request.details }, failures);
  };
  try {
    for (let attempt = 0; ; attempt++) {
      let server = health.next(tried);
      if (server === undefined && worthAnotherRound && request.idempotent) {
        const wait = transientRetryDelay(round);
        if (retryUntil !== undefined && performance.now() + wait < retryUntil) {
          await limits.sleep(wait);
          if (limits.stopped) stopped(nodes, limits, request, failures, undefined);
          round++;
          tried = [];
          worthAnotherRound = false;
          server = health.next(tried);
        }
      }
      if (server === undefined) {
        if (lastTransient !== undefined) {
          const elapsed = Math.round(performance.now() - started);
          throw request.answerError(lastTransient, { note: `; sent ${attempt} times over ${elapsed} ms, and CrateDB kept answering with transient cluster errors` });
        }
        const list = failures.map((failure) => `${failure.server}: ${failure.error}`).join('; ');
        fail(`No CrateDB server could ${request.task} (${list})`, lastFailure);
      }
      tried.push(server!);
      const delay = backoffDelay(attempt + 1, nodes.backoffFactor);
      if (delay > 0) await limits.sleep(delay);
      if (limits.stopped) stopped(nodes, limits, request, failures, undefined);

      const { observer } = request;
      observer?.attempt(server!, attempt + 1);
      // A lone server has nowhere to send a hedge: its reads skip the race and its timer (measured: 5-10 % of a
      // one-row read's rate), and are not counted as hedgeable.
      const hedger = request.hedge && request.idempotent && health.size > 1 && nodes.hedger?.enabled ? nodes.hedger : undefined;
      let outcome: Attempted<T, A>;
      if (hedger) {
        // Copies that failed while another ran are noted here; the one returned goes through the switch below.
        const sideFailure = (copy: string, failed: Attempted<T, A>): void => {
          if (failed.type === 'transient') {
            health.markActive(copy);
            lastTransient = failed.answer;
          } else if (failed.type === 'unavailable' || failed.type === 'failed') {
            recordFailure(failures, copy, failed.description);
            lastFailure = failed.type === 'unavailable' ? { kind: 'service-unavailable', ...failed.details } : { kind: failed.kind };
            if (failed.type === 'unavailable' || verdictFor(failed.failure, true).markInactive) health.markInactive(copy, failed.description);
          }
          if (failed.type !== 'failed') {
            worthAnotherRound = true;
            retryUntil ??= performance.now() + nodes.retryTimeout;
          }
        };
        const raced = await hedger.race(server!, {
          statement: request.details.statement,
          health,
          tried,
          attempt: (copy, cancel) => attemptOn(nodes.hangs, copy, limits, exchange, cancel),
          classify: (copy) => (copy.type === 'answer' ? 'answer' : copy.type === 'failed' && copy.failure.type === 'deadline' ? 'final' : 'failure'),
          sideFailure,
          discard: (copy) => {
            if (copy.type === 'answer') request.discard?.(copy.value);
          },
        });
        server = raced.server;
        outcome = raced.outcome;
      } else {
        outcome = await attemptOn(nodes.hangs, server!, limits, exchange);
      }
      switch (outcome.type) {
        case 'answer':
          if (health.markActive(server!)) observer?.back(server!);
          return { server: server!, value: outcome.value };
        case 'unavailable': {
          recordFailure(failures, server!, outcome.description);
          lastFailure = { kind: 'service-unavailable', ...outcome.details };
          health.markInactive(server!, outcome.description);
          observer?.failed(server!, { description: outcome.description }, true);
          lastTransient = undefined;
          worthAnotherRound = true;
          retryUntil ??= performance.now() + nodes.retryTimeout;
          if (verdictFor({ type: 'unavailable' }, request.idempotent).retry) continue;
          return fail(`CrateDB at ${server} is unavailable (${outcome.description})${request.unknown}`, { ...lastFailure, outcomeUnknown: true });
        }
        case 'transient': {
          const verdict = verdictFor({ type: 'transient' }, request.idempotent);
          if (!verdict.retry || nodes.retryTimeout === 0) throw request.answerError(outcome.answer, { outcomeUnknown: verdict.outcomeUnknown });
          // The server answered, so it is alive; the cluster behind it is what failed. Another server, or a moment
          // later the same one, will do.
          if (health.markActive(server!)) observer?.back(server!);
          observer?.failed(server!, { answer: outcome.answer }, false);
          lastTransient = outcome.answer;
          worthAnotherRound = true;
          retryUntil ??= performance.now() + nodes.retryTimeout;
          continue;
        }
        case 'failed': {
          const { failure, description, kind, cause } = outcome;
          lastTransient = undefined;
          if (failure.type === 'deadline') stopped(nodes, limits, request, failures, { server: server!, requestSent: failure.requestSent });
          recordFailure(failures, server!, description);
          lastFailure = { kind };
          const verdict = verdictFor(failure, request.idempotent);
          if (verdict.markInactive) health.markInactive(server!, description);
          observer?.failed(server!, { description }, verdict.markInactive);
          if (verdict.retry) continue;
          return fail(`CrateDB at ${server}: ${description}${verdict.outcomeUnknown ? request.unknown : ''}`, { kind, outcomeUnknown: verdict.outcomeUnknown, cause });
        }
      }
    }
  } finally {
    limits.dispose();
  }
}

/**
 * Throws for a call stopped by its limits: the caller's abort reason as it is, or a timeout error. `waiting`: the
 * server whose answer was awaited when the deadline passed; it is probed in the background, and set aside if hung.
 */
function stopped<A, T>(
  nodes: FailoverNodes,
  limits: CallLimits,
  request: FailoverRequest<A, T>,
  failures: ServerFailure[],
  waiting: { server: string; requestSent: boolean } | undefined,
): never {
  const stop = limits.stopped as Stop;
  if (stop.type === 'abort') throw stop.reason;
  const { health, hangs } = nodes;
  if (waiting && hangs) {
    void hangs.check(waiting.server).then((reason) => {
      if (reason !== undefined) health.markInactive(waiting.server, reason);
    });
  }
  const verdict = verdictFor({ type: 'deadline', requestSent: waiting?.requestSent ?? false }, request.idempotent);
  const where = waiting ? ` (waiting for ${waiting.server})` : '';
  if (waiting) recordFailure(failures, waiting.server, `no answer within the timeout of ${limits.timeout} ms`);
  throw new CrateConnectionError(
    `No answer from CrateDB within the timeout of ${limits.timeout} ms${where}${request.during}${verdict.outcomeUnknown ? request.unknown : ''}${request.suffix}`,
    { kind: 'timeout', ...request.details, outcomeUnknown: verdict.outcomeUnknown },
    failures,
  );
}

/** Keeps one entry per server, its latest failure: a request may go round the servers several times. */
function recordFailure(failures: ServerFailure[], server: string, error: string): void {
  const known = failures.find((failure) => failure.server === server);
  if (known) known.error = error;
  else failures.push({ server, error });
}

export function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Calls `abort` with the reason when `stop` aborts, at once if it has; returns what stops listening. */
export function whenStopped(stop: AbortSignal, abort: (reason: Error) => void): () => void {
  const listener = (): void => abort(toError(stop.reason));
  if (stop.aborted) {
    listener();
    return () => {};
  }
  stop.addEventListener('abort', listener, { once: true });
  return () => stop.removeEventListener('abort', listener);
}
