/**
 * Hedged reads: the "hedged request" of "The Tail at Scale" (Dean and Barroso), as Cassandra's speculative retry and
 * gRPC's hedging policy do it. A read that has not answered after the hedge delay is sent again, to another healthy
 * server, and the first answer wins; the other copies are aborted (their HTTP requests cancelled) and nothing waits on
 * them.
 *
 * Why: a CrateDB node that hangs (GC pause, frozen VM, SIGSTOP) keeps every statement that needs one of its shard copies
 * waiting until the cluster drops it (its follower checks, about 30 s by default). CrateDB draws one seed per statement
 * and takes copy `seed mod copies` from each shard's list of copies, a list in the same node order on every node
 * (crate/crate 6.4.3: RoutingProvider, RoutingTable.Builder.updateNodes). So a read sent again draws again: with one
 * replica it avoids a hung node at the first or last place of that order half of the time; a multi-shard read cannot
 * avoid one in the middle, and only the cluster dropping it ends the wait (docs/connecting.md, "Hedged reads").
 *
 * Bounds, so that slow queries do not double the load: the delay is a high percentile of recent reads' latencies
 * between a floor and a ceiling; a read gets at most `maxPerRead` hedges; the client sends at most `perSecond` hedges
 * per second (a token bucket). Only reads are hedged (the failover engine decides which requests may be, failover.ts);
 * writes never are.
 *
 * While reads look stuck on a hung node (a server set aside, or hedges answering many reads) those bounds would leave
 * reads waiting the 30 s: each copy has even odds at best of needing the hung node, so a read needs as many copies as
 * it takes to draw a healthy one. Then the delay is twice the median latency, and a read is re-sent every delay until it
 * answers (up to {@link STUCK_FACTOR} × `maxPerRead`), each new copy replacing the previous hedge, within the budget.
 *
 * This module knows nothing of HTTP or of the engine's outcomes: the engine hands it a way to start one copy on one
 * server and to tell an answer from a failure.
 */
import type { ServerHealth } from './servers.js';

/** Hedging as the caller configures it (`hedge` option); see docs/connecting.md. */
export interface HedgeOptions {
  /** Floor of the hedge delay, ms. Default 50. */
  minDelay?: number;
  /**
   * Ceiling of the client-wide hedge delay, ms, which is also the delay until enough reads were seen. A statement read
   * often enough is hedged after its own percentile instead, past this ceiling up to twice its median. Default 1 000.
   */
  maxDelay?: number;
  /** Percentile (0-100] of recent read latencies used as the delay. Default 99. */
  percentile?: number;
  /** Hedges one read may send. Default 2 (three copies at most). */
  maxPerRead?: number;
  /** Hedges the client may send per second, all reads together (a bucket of that many tokens). Default 50. */
  perSecond?: number;
  /** Called for every hedge sent, won or not sent; for logs and metrics. Must not throw. */
  onEvent?: (event: HedgeEvent) => void;
}

export interface ResolvedHedgeConfig {
  readonly enabled: boolean;
  readonly minDelay: number;
  readonly maxDelay: number;
  readonly percentile: number;
  readonly maxPerRead: number;
  readonly perSecond: number;
}

export const DEFAULT_HEDGE_CONFIG: ResolvedHedgeConfig = Object.freeze({
  enabled: true,
  // Below this, hedges would chase ordinary jitter (a JVM's young-generation pauses, a busy event loop).
  minDelay: 50,
  // A read slower than this with a healthy alternative is worth a second copy, whatever the workload's usual latency.
  maxDelay: 1_000,
  // Cassandra's default (speculative_retry = 99p): about one read in a hundred is hedged on a healthy cluster.
  percentile: 99,
  maxPerRead: 2,
  perSecond: 50,
});

/** What happened to a hedge; `read` numbers the client's hedgeable reads (to follow one read); `message` is a ready log line. */
export type HedgeEvent =
  /** A copy was sent to `server`, `afterMs` after the read's first copy went to `first`. `copy` counts from 1. */
  | { type: 'sent'; read: number; server: string; first: string; copy: number; afterMs: number; delayMs: number; message: string }
  /** Copy `copy` (0 = the first one) answered first, `afterMs` after the read started; the others were aborted. */
  | { type: 'won'; read: number; server: string; copy: number; afterMs: number; copies: number; message: string }
  /**
   * A hedge was due but not sent: the per-second budget was spent, no other healthy server was left, or every other
   * healthy server's connections were taken by running copies.
   */
  | { type: 'skipped'; read: number; reason: 'budget' | 'no-server' | 'busy'; first: string; afterMs: number; message: string };

export interface HedgeStats {
  /** Reads that could be hedged (hedging on, a read, sent through the failover engine). */
  reads: number;
  /** Hedges sent. */
  sent: number;
  /** Reads answered by a hedge rather than by their first copy. */
  won: number;
  /** Hedges due but not sent because the per-second budget was spent. */
  deniedByBudget: number;
  /** The hedge delay, ms (shorter while `stuck`). */
  delayMs: number;
  /** Whether hedges answered many of the last reads: they look stuck on a hung node, and are hedged harder. */
  stuck: boolean;
}

/** How the engine sees one copy's end: the answer, a failure that ends the read, or one that other copies outlive. */
export type CopyVerdict = 'answer' | 'final' | 'failure';

/** What {@link Hedger.race} needs of the engine for one read. */
export interface RaceContext<O> {
  /** The statement, whose own latencies set its delay once known ({@link Hedger.delayFor}); undefined for blobs. */
  statement: string | undefined;
  health: ServerHealth;
  /** Servers this read has tried; hedges are added, so that a retry after all copies failed goes elsewhere. */
  tried: string[];
  /** Starts one copy on `server`; `cancel` aborts it once another copy won. */
  attempt(server: string, cancel: AbortSignal): Promise<O>;
  classify(outcome: O): CopyVerdict;
  /** A copy failed while others were still running: the engine notes it (server health, the error's list). */
  sideFailure(server: string, outcome: O): void;
  /** A copy answered after another had won: release what it holds (a streamed body, a pinned connection). */
  discard(outcome: O): void;
}

/** Latencies kept for the delay: enough for a stable 99th percentile, few enough to follow a change within seconds. */
const SAMPLES = 256;
/**
 * Per statement: the latencies of its last {@link STATEMENT_SAMPLES} reads, for the last {@link STATEMENTS} statements
 * read (least recently read dropped first), once {@link STATEMENT_MIN_SAMPLES} were seen. A statement's own p99 is a
 * better delay than the client's: an analytic query that always takes 10 s is not a straggler at 1 s, and each copy
 * sent would run to its end on the server (an aborted request does not stop its job). Statements longer than
 * {@link STATEMENT_MAX_LENGTH} characters (values written into the text, most likely) share the client's latencies.
 */
const STATEMENT_SAMPLES = 32;
const STATEMENT_MIN_SAMPLES = 8;
const STATEMENTS = 256;
const STATEMENT_MAX_LENGTH = 4_096;
/** How far past `maxDelay` a statement's delay may go, × its median (see {@link Hedger.delayFor}). */
const SLOW_STATEMENT_FACTOR = 2;
/** Until this many reads were seen, the delay is the ceiling: nothing is known yet of the workload. */
const MIN_SAMPLES = 20;
/** The percentile is recomputed every this many samples, not on every read (a sort of 256 numbers). */
const RECOMPUTE_EVERY = 16;
/**
 * Reads look stuck (a hung node's shard copies, not slow queries) when a server is set aside or when hedges answered at
 * least {@link STUCK_WINS} of the last {@link WIN_WINDOW} reads. On a healthy cluster a p99 delay hedges about one read
 * in a hundred, and fewer are won: under one of 64. With a node paused, hedges answered about a third of the reads.
 */
const WIN_WINDOW = 64;
const STUCK_WINS = 6;
/**
 * Hedges a stuck read may send, × `maxPerRead` (32 by default). A copy of a full scan needs a hung node at an end of
 * the copy order half of the time (measured: 10 and 12 of 20 and 22 answered); 33 copies all hang about once in
 * 8 × 10^9 reads. Still a bound, for a hung node in the middle of the order and for a table without replicas, where
 * every copy of a multi-shard read hangs.
 */
const STUCK_FACTOR = 16;
/**
 * While stuck, the delay is this many times the median latency: a copy drawn onto healthy shards answers in about the
 * median, so waiting longer only adds to the tail; a copy too many costs one healthy read.
 */
const STUCK_DELAY_FACTOR = 2;
/**
 * While stuck, hedges also draw on a second bucket: {@link STUCK_BURST} × `perSecond` tokens (200 by default), refilled
 * at `perSecond` / {@link STUCK_REFILL_DIVISOR} per second (5). Every hedge sent while stuck most likely leaves a copy
 * whose job holds memory on a healthy coordinator until CrateDB drops the hung node (about 30 s), aborted or not.
 * Measured with a node other than the master paused 30 s and only the per-second budget (50): 1 382 hedges sent, and
 * 539 reads failed with CircuitBreakingException on the healthy nodes (768 MB heaps). This bounds the stuck copies of
 * one 30 s pause to about 350 per client; the reads beyond it wait for CrateDB, as without hedging.
 */
const STUCK_BURST = 4;
/**
 * After this many hedges sent while stuck lost in a row (replaced by a newer copy, or outlived by another), with no
 * hedge winning meanwhile, reads get `maxPerRead` hedges again until one wins. A hung node in the middle of the
 * shard-copy order hangs every copy of a multi-shard read (docs/connecting.md, "Hedged reads"): measured with CrateDB's
 * default fault detection, about 350 stuck hedges in a 30 s pause won nothing, and each held a job on a healthy node.
 */
const FUTILE_AFTER = 32;
const STUCK_REFILL_DIVISOR = 10;

/**
 * When a read's `failed`-th failed copy is replaced: the first at once, then after 50, 100, 200 ms and so on up to
 * 1 s, as the engine backs off its retries: while CrateDB drops a node its nodes answer "node left" for a moment, and
 * replacements sent at once would spend the read's copies within that moment.
 */
function replacementDelay(failed: number): number {
  return failed <= 1 ? 0 : Math.min(1_000, 50 * 2 ** (failed - 2));
}

/**
 * The last `size` latencies, and the percentile and median taken from them: known once `minSamples` were seen, then
 * recomputed every `recomputeEvery` samples (the client's window) or every sample (a statement's, which is small).
 */
class LatencyWindow {
  readonly #samples: Float64Array;
  readonly #minSamples: number;
  readonly #recomputeEvery: number;
  #count = 0;
  #sinceRecompute = 0;
  percentile = 0;
  median = 0;

  constructor(size: number, minSamples: number, recomputeEvery: number) {
    this.#samples = new Float64Array(size);
    this.#minSamples = minSamples;
    this.#recomputeEvery = recomputeEvery;
  }

  get known(): boolean {
    return this.#count >= this.#minSamples;
  }

  add(ms: number, percentile: number): void {
    this.#samples[this.#count % this.#samples.length] = ms;
    this.#count++;
    if (!this.known || (++this.#sinceRecompute < this.#recomputeEvery && this.#count > this.#minSamples)) return;
    this.#sinceRecompute = 0;
    const recent = this.#samples.slice(0, Math.min(this.#count, this.#samples.length)).sort();
    this.percentile = recent[Math.max(0, Math.min(recent.length - 1, Math.ceil((percentile / 100) * recent.length) - 1))]!;
    this.median = recent[Math.floor((recent.length - 1) / 2)]!;
  }
}

/** One copy of a read. `retired`: aborted to make room for a newer copy while the read goes on. */
interface Copy {
  server: string;
  index: number;
  cancel: AbortController;
  running: boolean;
  retired: boolean;
  sentAt: number;
  /** A hedge sent while reads looked stuck: whether such hedges still win decides whether more are sent. */
  stuckHedge: boolean;
}

/** Hedging state of one client family (a client and its `withSchema()` siblings): latencies, budget, stats. */
export class Hedger {
  readonly config: ResolvedHedgeConfig;
  readonly #onEvent: ((event: HedgeEvent) => void) | undefined;
  /** The client's latencies: all reads'. */
  readonly #latencies = new LatencyWindow(SAMPLES, MIN_SAMPLES, RECOMPUTE_EVERY);
  #tokens: number;
  #refilledAt = performance.now();
  /** The stuck bucket ({@link STUCK_BURST}). */
  #stuckTokens: number;
  #stuckRefilledAt = performance.now();
  /** Whether each of the last {@link WIN_WINDOW} reads was answered by a hedge, and how many were. */
  readonly #wins = new Uint8Array(WIN_WINDOW);
  #ended = 0;
  #recentWins = 0;
  /** Copies running per server, and how many connections a server has (see {@link busyServers}). */
  readonly #running = new Map<string, number>();
  readonly #connections: number;
  readonly #stats = { reads: 0, sent: 0, won: 0, deniedByBudget: 0 };
  /** Stuck hedges lost since a hedge last won ({@link FUTILE_AFTER}). */
  #stuckLostInARow = 0;
  /** Latencies per statement, in the order last read (a Map keeps insertion order: re-inserted on each read). */
  readonly #statements = new Map<string, LatencyWindow>();

  /** `connectionsPerServer`: the transport's pool size per server (undici's `poolSize`), Infinity when not bounded. */
  constructor(config: ResolvedHedgeConfig, onEvent?: (event: HedgeEvent) => void, connectionsPerServer = Infinity) {
    this.config = config;
    this.#connections = connectionsPerServer;
    this.#onEvent = onEvent;
    this.#tokens = config.perSecond;
    this.#stuckTokens = STUCK_BURST * config.perSecond;
  }

  get enabled(): boolean {
    return this.config.enabled && this.config.maxPerRead > 0;
  }

  /**
   * The client's hedge delay, ms: the configured percentile of recent latencies, within the floor and the ceiling; the
   * ceiling until enough reads were seen.
   */
  get delay(): number {
    const { minDelay, maxDelay } = this.config;
    return this.#latencies.known ? Math.min(maxDelay, Math.max(minDelay, this.#latencies.percentile)) : maxDelay;
  }

  /** The median of the same latencies (the stuck delay, {@link STUCK_DELAY_FACTOR}); a quarter of the ceiling until known. */
  get #median(): number {
    return this.#latencies.known ? this.#latencies.median : this.config.maxDelay / 4;
  }

  stats(): HedgeStats {
    return { ...this.#stats, delayMs: Math.round(this.delay), stuck: this.#recentWins >= STUCK_WINS };
  }

  /** Records the latency of a read's winning copy (from when that copy was sent), for the client and the statement. */
  record(ms: number, statement?: string): void {
    if (statement !== undefined && statement.length <= STATEMENT_MAX_LENGTH) {
      let own = this.#statements.get(statement);
      if (own === undefined) {
        own = new LatencyWindow(STATEMENT_SAMPLES, STATEMENT_MIN_SAMPLES, 1);
        if (this.#statements.size >= STATEMENTS) this.#statements.delete(this.#statements.keys().next().value!);
      } else {
        this.#statements.delete(statement);
      }
      this.#statements.set(statement, own);
      own.add(ms, this.config.percentile);
    }
    this.#latencies.add(ms, this.config.percentile);
  }

  /** Whether reads look stuck on a hung node (see {@link STUCK_WINS}); `health` tells whether a server is set aside. */
  #stuck(health: ServerHealth): boolean {
    return this.#recentWins >= STUCK_WINS || health.anyInactive();
  }

  /**
   * The hedge delay of a read of `statement` now: its own percentile once the statement was read often enough, else the
   * client's; while stuck, twice the matching median if that is shorter. Never below `minDelay`. A statement's delay
   * passes `maxDelay` only as far as {@link SLOW_STATEMENT_FACTOR} × its median: a statement that is always slow
   * is not hedged before its usual time, and one whose few reads waited on a hung node still is.
   */
  delayFor(statement: string | undefined, stuck = false): number {
    const own = statement === undefined ? undefined : this.#statements.get(statement);
    const known = own !== undefined && own.known;
    const { minDelay, maxDelay } = this.config;
    const delay = known ? Math.max(minDelay, Math.min(own.percentile, Math.max(maxDelay, SLOW_STATEMENT_FACTOR * own.median))) : this.delay;
    const median = known ? own.median : this.#median;
    return stuck ? Math.min(delay, Math.max(minDelay, STUCK_DELAY_FACTOR * median)) : delay;
  }

  /** Notes how a read ended, for {@link STUCK_WINS}. */
  #noteEnd(wonByHedge: boolean): void {
    const slot = this.#ended++ % WIN_WINDOW;
    this.#recentWins += (wonByHedge ? 1 : 0) - this.#wins[slot]!;
    this.#wins[slot] = wonByHedge ? 1 : 0;
  }

  /**
   * Runs one read: its first copy on `first`, then, every delay while no copy has answered, a hedge on another healthy
   * server (up to `maxPerRead`, or more while reads look stuck; within the budget). Resolves with the first answer, or
   * with the failure that ends the read (a deadline, or the last copy failing); rejects when a copy rejects (the
   * caller's abort).
   */
  race<O>(first: string, context: RaceContext<O>): Promise<{ server: string; outcome: O }> {
    const read = ++this.#stats.reads;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const copies: Copy[] = [];
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let due = 0;
      // Copies that failed while another ran. They no longer load a server, so they do not count against the read's
      // hedges: measured with a node paused and CrateDB's follower checks shortened, hedges failed with "node left"
      // when CrateDB dropped the node, and reads that had used their two hedges then waited on a copy sent to the
      // hung node until its probe gave up (3.3 s), where a new copy answered at once.
      let failed = 0;
      // Failed copies not replaced yet. A replacement goes at once and takes no token of the budget: like the engine's
      // retry after a failure, it is not a second copy running.
      let owed = 0;
      const end = (wonByHedge: boolean, winner?: Copy): void => {
        done = true;
        this.#noteEnd(wonByHedge);
        if (wonByHedge) this.#stuckLostInARow = 0;
        for (const copy of copies) if (copy.stuckHedge && !copy.retired && copy !== winner) this.#stuckLostInARow++;
        if (timer !== undefined) clearTimeout(timer);
        for (const copy of copies) if (copy.running) copy.cancel.abort(new Error('another copy of this hedged read answered first'));
      };
      const launch = (server: string, stuckHedge = false): void => {
        const copy: Copy = { server, index: copies.length, cancel: new AbortController(), running: true, retired: false, sentAt: performance.now(), stuckHedge };
        copies.push(copy);
        this.#running.set(server, (this.#running.get(server) ?? 0) + 1);
        const settled = (): void => {
          copy.running = false;
          this.#running.set(server, this.#running.get(server)! - 1);
        };
        context.attempt(server, copy.cancel.signal).then(
          (outcome) => {
            settled();
            const verdict = context.classify(outcome);
            // A retired copy was aborted to make room (see #hedge): its end says nothing of its server.
            if (done || copy.retired) {
              if (verdict === 'answer') context.discard(outcome);
              return;
            }
            if (verdict === 'failure' && copies.some((other) => other.running)) {
              // Another copy may still answer: this failure is noted, not the read's end. With none left running the
              // engine gets it at once and retries elsewhere, rather than waiting for the next hedge.
              context.sideFailure(server, outcome);
              failed++;
              owed++;
              if (timer !== undefined) clearTimeout(timer);
              timer = setTimeout(tick, replacementDelay(failed));
              return;
            }
            if (verdict === 'answer') {
              this.record(performance.now() - copy.sentAt, context.statement);
              if (copies.length > 1) this.#won(read, copy, started, copies.length);
            }
            end(verdict === 'answer' && copy.index > 0, copy);
            resolve({ server, outcome });
          },
          (error: unknown) => {
            settled();
            if (done || copy.retired) return;
            end(false);
            reject(error);
          },
        );
      };
      // Ticks go on while the read waits, whether or not a hedge is due: reads may start to look stuck meanwhile.
      const tick = (): void => {
        timer = undefined;
        if (done) return;
        const stuck = this.#stuck(context.health);
        const delay = this.delayFor(context.statement, stuck);
        // A hedge held back for busy connections is not counted: it was never a copy, and the next tick may send it.
        const allowed = stuck && this.#stuckLostInARow < FUTILE_AFTER ? STUCK_FACTOR * this.config.maxPerRead : this.config.maxPerRead;
        const replacing = owed > 0;
        if (due - failed < allowed && due < STUCK_FACTOR * this.config.maxPerRead && this.#hedge(read, first, copies, context, started, delay, stuck, replacing, launch)) {
          due++;
          if (replacing) owed--;
        }
        timer = setTimeout(tick, delay);
      };
      launch(first);
      if (this.enabled) timer = setTimeout(tick, this.delayFor(context.statement, this.#stuck(context.health)));
    });
  }

  /** Sends one hedge if a healthy server and a token are there; false when only busy connections held it back. */
  #hedge(
    read: number,
    first: string,
    copies: readonly Copy[],
    context: RaceContext<unknown>,
    started: number,
    delay: number,
    stuck: boolean,
    replacing: boolean,
    launch: (server: string, stuckHedge: boolean) => void,
  ): boolean {
    const afterMs = Math.round(performance.now() - started);
    // A server without a running copy first. Once every healthy one holds one, another than the last copy's:
    // CrateDB picks the shard copies anew for every request, and alternating spreads the copies. A lone server never
    // gets a second copy, which on a single node would only double the work.
    const busy = this.#busyServers();
    const holding = copies.filter((copy) => copy.running).map((copy) => copy.server);
    const server = context.health.nextActive([...holding, ...busy]) ?? context.health.nextActive([copies.at(-1)!.server, ...busy]);
    if (server === undefined && busy.length > 0 && context.health.nextActive([copies.at(-1)!.server]) !== undefined) {
      this.#emit({
        type: 'skipped',
        read,
        reason: 'busy',
        first,
        afterMs,
        message: `read ${read}: hedge of a read sent to ${first} not sent after ${afterMs} ms: every other healthy server's ${this.#connections} connections carry running copies`,
      });
      return false;
    }
    if (server === undefined) {
      this.#emit({ type: 'skipped', read, reason: 'no-server', first, afterMs, message: `read ${read}: hedge of a read sent to ${first} not sent after ${afterMs} ms: no other healthy server` });
      return true;
    }
    if (!replacing && !this.#take(stuck)) {
      this.#stats.deniedByBudget++;
      this.#emit({
        type: 'skipped',
        read,
        reason: 'budget',
        first,
        afterMs,
        message: `read ${read}: hedge of a read sent to ${first} not sent after ${afterMs} ms: the budget of hedges per second is spent`,
      });
      return true;
    }
    this.#stats.sent++;
    if (!context.tried.includes(server)) context.tried.push(server);
    if (stuck) {
      // While stuck, a hedge unanswered after the delay most likely drew the hung node's shards: it is aborted for the
      // new one, so that a read holds two connections at most (its first copy and one hedge) and the copies of 8
      // readers fit the pools. Measured without this: stuck copies filled both healthy servers' 10 connections within
      // 10 s, and later copies could not be sent. The first copy is kept: a slow query still ends as it would unhedged.
      for (const previous of copies) {
        if (previous.index > 0 && previous.running && !previous.retired) {
          previous.retired = true;
          if (previous.stuckHedge) this.#stuckLostInARow++;
          previous.cancel.abort(new Error('a newer copy of this hedged read replaced it'));
        }
      }
    }
    const copy = copies.length;
    this.#emit({
      type: 'sent',
      read,
      server,
      first,
      copy,
      afterMs,
      delayMs: Math.round(delay),
      message: replacing
        ? `read ${read}: hedge ${copy} of a read sent to ${first}: a copy failed after ${afterMs} ms, replaced on ${server}`
        : `read ${read}: hedge ${copy} of a read sent to ${first}: no answer after ${afterMs} ms (delay ${Math.round(delay)} ms${stuck ? ', reads look stuck' : ''}), sent to ${server}`,
    });
    launch(server, stuck);
    return true;
  }

  /**
   * Servers whose connections all carry copies still running. Measured with a node paused: copies stuck on its shards
   * filled the 10 connections of both healthy servers within 10 s, and every later copy queued behind them, unsent,
   * until CrateDB dropped the node. A hedge that cannot be sent now is worth nothing; the next tick tries again.
   */
  #busyServers(): string[] {
    if (this.#connections === Infinity) return [];
    return [...this.#running].filter(([, running]) => running >= this.#connections).map(([server]) => server);
  }

  #won(read: number, copy: { server: string; index: number }, started: number, copies: number): void {
    const afterMs = Math.round(performance.now() - started);
    if (copy.index > 0) this.#stats.won++;
    this.#emit({
      type: 'won',
      read,
      server: copy.server,
      copy: copy.index,
      afterMs,
      copies,
      message: `read ${read}: hedged read answered after ${afterMs} ms by ${copy.index === 0 ? 'its first copy' : `hedge ${copy.index}`} (${copy.server}); ${copies - 1} other cop${copies === 2 ? 'y' : 'ies'} aborted`,
    });
  }

  /**
   * One token of the budget: the bucket holds up to `perSecond` and refills at that rate, stuck or not; while stuck, one
   * of the stuck bucket too ({@link STUCK_BURST}). It does not
   * grow with the reads waiting: a copy that drew the hung node's shards goes on holding memory on its (healthy)
   * coordinator after the client aborts it, until CrateDB drops the node. Measured with the budget at up to 200 per
   * second while stuck: 1 900 hedges in the 30 s pause tripped the healthy nodes' circuit breakers
   * (CircuitBreakingException), and a read in two failed.
   */
  #take(stuck: boolean): boolean {
    const now = performance.now();
    const { perSecond } = this.config;
    this.#tokens = Math.min(perSecond, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
    this.#refilledAt = now;
    const stuckRate = perSecond / STUCK_REFILL_DIVISOR;
    this.#stuckTokens = Math.min(STUCK_BURST * perSecond, this.#stuckTokens + ((now - this.#stuckRefilledAt) / 1000) * stuckRate);
    this.#stuckRefilledAt = now;
    if (this.#tokens < 1 || (stuck && this.#stuckTokens < 1)) return false;
    this.#tokens--;
    if (stuck) this.#stuckTokens--;
    return true;
  }

  #emit(event: HedgeEvent): void {
    if (!this.#onEvent) return;
    try {
      this.#onEvent(event);
    } catch {
      // A failing observer must not fail the read.
    }
  }
}
