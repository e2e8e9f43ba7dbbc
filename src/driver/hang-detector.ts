/**
 * Telling a hung server from a slow statement. Both look the same on the request's connection: nothing arrives. A
 * separate, short probe of the same server (the transport's `GET /` on a new connection) tells them apart: a server
 * busy with a long query answers it at once, a hung one (stopped process, frozen VM, black-holed network) does not.
 *
 * A request that has waited `after` ms for its server has that server probed, and again every `after` ms while it
 * keeps waiting. A probe that gets no answer within `timeout` ms declares the server hung: every request waiting on
 * it is told so. Probes are shared per server: however many requests wait, a server is probed at most once at a time,
 * and a fresh answer (younger than `after`) serves everyone who asks.
 *
 * Nothing here knows HTTP: the transport supplies the probe, so every transport reuses this logic.
 */

/** Resolves when the server answered (with anything), rejects when it did not in time. */
export type Probe = (server: string, timeout: number) => Promise<void>;

export interface HangDetectorOptions {
  /** ms a request waits before its server is probed, and between probes while it keeps waiting. */
  after: number;
  /** ms a probe waits for an answer. */
  timeout: number;
}

export interface Watch {
  /** Stops watching (the request ended); a probe already under way is not awaited. */
  stop(): void;
}

interface ServerState {
  probing: Promise<string | undefined> | undefined;
  /** When the last probe was answered, by the detector's clock. */
  answeredAt: number;
  /** Why the last probe failed, while no later probe was answered. */
  hung: { at: number; reason: string } | undefined;
}

export class HangDetector {
  readonly #probe: Probe;
  readonly #after: number;
  readonly #timeout: number;
  readonly #states = new Map<string, ServerState>();
  #closed = false;

  constructor(probe: Probe, options: HangDetectorOptions) {
    this.#probe = probe;
    this.#after = options.after;
    this.#timeout = options.timeout;
  }

  /** The longest a request waits on a server that is hung from the start, before it is told so. */
  get bound(): number {
    return this.#after + this.#timeout;
  }

  /**
   * Watches one request waiting on `server`: calls `onHung` with a description (once) if the server stops answering
   * while the request waits.
   */
  watch(server: string, onHung: (description: string) => void): Watch {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const schedule = (): void => {
      timer = setTimeout(() => {
        timer = undefined;
        void this.check(server).then((reason) => {
          if (stopped || this.#closed) return;
          if (reason === undefined) schedule();
          else onHung(reason);
        });
      }, this.#after);
    };
    schedule();
    return {
      stop() {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
      },
    };
  }

  /**
   * Whether `server` answers: undefined when it does (or did within the last `after` ms), else why it is taken for
   * hung. A probe under way is shared.
   */
  check(server: string): Promise<string | undefined> {
    const state = this.#stateOf(server);
    if (state.probing) return state.probing;
    const now = performance.now();
    if (now - state.answeredAt < this.#after) return Promise.resolve(undefined);
    if (state.hung && now - state.hung.at < this.#after) return Promise.resolve(state.hung.reason);
    if (this.#closed) return Promise.resolve(undefined);
    const probing = this.#probe(server, this.#timeout).then(
      () => {
        state.answeredAt = performance.now();
        state.hung = undefined;
        return undefined;
      },
      (error: unknown) => {
        const reason = `it stopped answering: a probe (GET / on a new connection) failed: ${error instanceof Error ? error.message : String(error)}`;
        state.hung = { at: performance.now(), reason };
        return reason;
      },
    );
    state.probing = probing.finally(() => {
      state.probing = undefined;
    });
    return state.probing;
  }

  /** No more probes; pending watches then never fire. */
  close(): void {
    this.#closed = true;
  }

  #stateOf(server: string): ServerState {
    let state = this.#states.get(server);
    if (!state) {
      state = { probing: undefined, answeredAt: -Infinity, hung: undefined };
      this.#states.set(server, state);
    }
    return state;
  }
}
