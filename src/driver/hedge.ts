/**
 * Hedged reads: the "hedged request" of "The Tail at Scale" (Dean and Barroso), as Cassandra's speculative retry and
 * gRPC's hedging policy do it. A read that has not answered after the hedge delay is sent again, to another healthy
 * server, and the first answer wins; the other copies are aborted (their HTTP requests cancelled) and nothing waits on
 * them.
 *
 * Why: a CrateDB node that hangs (GC pause, frozen VM, SIGSTOP) keeps every statement that needs one of its shard copies
 * waiting until the cluster drops it, about 30 s. CrateDB picks the shard copies per request, so the same read sent
 * again to a healthy node most likely avoids the hung one (docs/connecting.md, "Hedged reads").
 *
 * Bounds, so that slow queries do not double the load: the delay is a high percentile of recent reads' latencies
 * between a floor and a ceiling; a read gets at most `maxPerRead` hedges; the client sends at most `perSecond` hedges
 * per second (a token bucket). Only reads are hedged (the failover engine decides which requests may be, failover.ts);
 * writes never are.
 *
 * This module knows nothing of HTTP or of the engine's outcomes: the engine hands it a way to start one copy on one
 * server and to tell an answer from a failure.
 */
import type { ServerHealth } from './servers.js';

/** Hedging as the caller configures it (`hedge` option); see docs/connecting.md. */
export interface HedgeOptions {
  /** Floor of the hedge delay, ms. Default 50. */
  minDelay?: number;
  /** Ceiling of the hedge delay, ms; also the delay until enough reads were seen. Default 1 000. */
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

/** What happened to a hedge; `message` is a ready log line. */
export type HedgeEvent =
  /** A copy was sent to `server`, `afterMs` after the read's first copy went to `first`. `copy` counts from 1. */
  | { type: 'sent'; server: string; first: string; copy: number; afterMs: number; delayMs: number; message: string }
  /** Copy `copy` (0 = the first one) answered first, `afterMs` after the read started; the others were aborted. */
  | { type: 'won'; server: string; copy: number; afterMs: number; copies: number; message: string }
  /** A hedge was due but not sent: the per-second budget was spent, or no other healthy server was left. */
  | { type: 'skipped'; reason: 'budget' | 'no-server'; first: string; afterMs: number; message: string };

export interface HedgeStats {
  /** Reads that could be hedged (hedging on, a read, sent through the failover engine). */
  reads: number;
  /** Hedges sent. */
  sent: number;
  /** Reads answered by a hedge rather than by their first copy. */
  won: number;
  /** Hedges due but not sent because the per-second budget was spent. */
  deniedByBudget: number;
  /** The hedge delay a read starting now would get, ms. */
  delayMs: number;
}

/** How the engine sees one copy's end: the answer, a failure that ends the read, or one that other copies outlive. */
export type CopyVerdict = 'answer' | 'final' | 'failure';

/** What {@link Hedger.race} needs of the engine for one read. */
export interface RaceContext<O> {
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
/** Until this many reads were seen, the delay is the ceiling: nothing is known yet of the workload. */
const MIN_SAMPLES = 20;
/** The percentile is recomputed every this many samples, not on every read (a sort of 256 numbers). */
const RECOMPUTE_EVERY = 16;
/**
 * While hedges win (one won within this many ms), slow reads are most likely stuck the same way (a hung node's shard
 * copies), not slow queries: a read may then send up to {@link ESCALATION} × `maxPerRead` hedges. Measured on three
 * CrateDB nodes with one paused: each copy of a read has about even odds of needing the hung node, so two hedges leave
 * one read in eight waiting 30 s.
 */
const WINNING_WINDOW_MS = 10_000;
const ESCALATION = 4;

/** Hedging state of one client family (a client and its `withSchema()` siblings): latencies, budget, stats. */
export class Hedger {
  readonly config: ResolvedHedgeConfig;
  readonly #onEvent: ((event: HedgeEvent) => void) | undefined;
  readonly #samples = new Float64Array(SAMPLES);
  #count = 0;
  #sinceRecompute = 0;
  #delay: number;
  #tokens: number;
  #refilledAt = performance.now();
  #lastWinAt = -Infinity;
  readonly #stats = { reads: 0, sent: 0, won: 0, deniedByBudget: 0 };

  constructor(config: ResolvedHedgeConfig, onEvent?: (event: HedgeEvent) => void) {
    this.config = config;
    this.#onEvent = onEvent;
    this.#delay = config.maxDelay;
    this.#tokens = config.perSecond;
  }

  get enabled(): boolean {
    return this.config.enabled && this.config.maxPerRead > 0;
  }

  /** The current hedge delay, ms: the configured percentile of recent latencies, within the floor and the ceiling. */
  get delay(): number {
    return this.#delay;
  }

  stats(): HedgeStats {
    return { ...this.#stats, delayMs: Math.round(this.#delay) };
  }

  /** Records the latency of a read's winning copy (from when that copy was sent). */
  record(ms: number): void {
    this.#samples[this.#count % SAMPLES] = ms;
    this.#count++;
    if (this.#count >= MIN_SAMPLES && ++this.#sinceRecompute >= (this.#count === MIN_SAMPLES ? 1 : RECOMPUTE_EVERY)) {
      this.#sinceRecompute = 0;
      const recent = this.#samples.slice(0, Math.min(this.#count, SAMPLES)).sort();
      const rank = Math.min(recent.length - 1, Math.ceil((this.config.percentile / 100) * recent.length) - 1);
      this.#delay = Math.min(this.config.maxDelay, Math.max(this.config.minDelay, recent[Math.max(0, rank)]!));
    }
  }

  /**
   * Runs one read: its first copy on `first`, then, every `delay` ms while no copy has answered, a hedge on another
   * healthy server (up to `maxPerRead`, within the budget). Resolves with the first answer, or with the failure that
   * ends the read (a deadline, or the last copy failing); rejects when a copy rejects (the caller's abort).
   */
  race<O>(first: string, context: RaceContext<O>): Promise<{ server: string; outcome: O }> {
    this.#stats.reads++;
    const delay = this.#delay;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const copies: { server: string; index: number; cancel: AbortController; running: boolean; sentAt: number }[] = [];
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let due = 0;
      const end = (): void => {
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        for (const copy of copies) if (copy.running) copy.cancel.abort(new Error('another copy of this hedged read answered first'));
      };
      const launch = (server: string): void => {
        const copy = { server, index: copies.length, cancel: new AbortController(), running: true, sentAt: performance.now() };
        copies.push(copy);
        context.attempt(server, copy.cancel.signal).then(
          (outcome) => {
            copy.running = false;
            const verdict = context.classify(outcome);
            if (done) {
              if (verdict === 'answer') context.discard(outcome);
              return;
            }
            if (verdict === 'failure' && copies.some((other) => other.running)) {
              // Another copy may still answer: this failure is noted, not the read's end. With none left running the
              // engine gets it at once and retries elsewhere, rather than waiting for the next hedge.
              context.sideFailure(server, outcome);
              return;
            }
            if (verdict === 'answer') {
              this.record(performance.now() - copy.sentAt);
              if (copies.length > 1) this.#won(copy, started, copies.length);
            }
            end();
            resolve({ server, outcome });
          },
          (error: unknown) => {
            copy.running = false;
            if (done) return;
            end();
            reject(error);
          },
        );
      };
      const tick = (): void => {
        timer = undefined;
        if (done) return;
        due++;
        if (due <= this.#perRead()) this.#hedge(first, copies, context, started, delay, launch);
        // Ticks go on up to the escalated limit: hedges may start winning while this read waits.
        if (due < this.config.maxPerRead * ESCALATION) timer = setTimeout(tick, delay);
      };
      launch(first);
      if (this.enabled) timer = setTimeout(tick, delay);
    });
  }

  /** Hedges a read may send now: more while hedges win (see {@link WINNING_WINDOW_MS}). */
  #perRead(): number {
    return performance.now() - this.#lastWinAt < WINNING_WINDOW_MS ? this.config.maxPerRead * ESCALATION : this.config.maxPerRead;
  }

  /** Sends one hedge if a healthy server and a token are there. */
  #hedge(first: string, copies: readonly { server: string }[], context: RaceContext<unknown>, started: number, delay: number, launch: (server: string) => void): void {
    const afterMs = Math.round(performance.now() - started);
    // Another server first. Once every healthy one holds a copy, one of them again, other than the read's first
    // server: CrateDB picks the shard copies anew for every request. So a lone server never gets a second copy, which
    // on a single node would only double the work.
    const holding = copies.map((copy) => copy.server);
    const server = context.health.nextActive(holding) ?? context.health.nextActive([first]);
    if (server === undefined) {
      this.#emit({ type: 'skipped', reason: 'no-server', first, afterMs, message: `hedge of a read sent to ${first} not sent after ${afterMs} ms: no other healthy server` });
      return;
    }
    if (!this.#take()) {
      this.#stats.deniedByBudget++;
      this.#emit({
        type: 'skipped',
        reason: 'budget',
        first,
        afterMs,
        message: `hedge of a read sent to ${first} not sent after ${afterMs} ms: the budget of ${this.config.perSecond} hedges per second is spent`,
      });
      return;
    }
    this.#stats.sent++;
    if (!context.tried.includes(server)) context.tried.push(server);
    const copy = copies.length;
    this.#emit({
      type: 'sent',
      server,
      first,
      copy,
      afterMs,
      delayMs: Math.round(delay),
      message: `hedge ${copy} of a read sent to ${first}: no answer after ${afterMs} ms (delay ${Math.round(delay)} ms), sent to ${server}`,
    });
    launch(server);
  }

  #won(copy: { server: string; index: number }, started: number, copies: number): void {
    const afterMs = Math.round(performance.now() - started);
    if (copy.index > 0) {
      this.#stats.won++;
      this.#lastWinAt = performance.now();
    }
    this.#emit({
      type: 'won',
      server: copy.server,
      copy: copy.index,
      afterMs,
      copies,
      message: `hedged read answered after ${afterMs} ms by ${copy.index === 0 ? 'its first copy' : `hedge ${copy.index}`} (${copy.server}); ${copies - 1} other cop${copies === 2 ? 'y' : 'ies'} aborted`,
    });
  }

  /** One token of the budget: the bucket holds up to `perSecond` and refills at that rate. */
  #take(): boolean {
    const now = performance.now();
    const { perSecond } = this.config;
    this.#tokens = Math.min(perSecond, this.#tokens + ((now - this.#refilledAt) / 1000) * perSecond);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
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
