/**
 * The limits of one call (`sql`, `bulk`, `serverInfo`): the caller's `timeout`, kept with a timer of its own because
 * undici's are coarse (a 10 ms timeout fired after about 1 s), and the caller's AbortSignal. Whatever the call is
 * doing when a limit strikes (waiting for an answer, or pausing between retries) is stopped at once.
 */

export type Stop = { type: 'deadline' } | { type: 'abort'; reason: unknown };

export class CallLimits {
  readonly #timeout: number;
  readonly #signal: AbortSignal | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #listeners = new Set<(stop: Stop) => void>();
  #stopped: Stop | undefined;

  /** @param timeout ms; 0 = no deadline. */
  constructor(timeout: number, signal: AbortSignal | undefined) {
    this.#timeout = timeout;
    this.#signal = signal;
    if (signal?.aborted) {
      this.#stopped = { type: 'abort', reason: signal.reason };
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (timeout > 0) this.#timer = setTimeout(() => this.#stop({ type: 'deadline' }), timeout);
  }

  /** Why the call must end, once a limit struck. */
  get stopped(): Stop | undefined {
    return this.#stopped;
  }

  /**
   * Calls `listener` when a limit strikes, until the returned function is called; at once if one struck already.
   * Several may listen: a hedged read waits on several copies at once (hedge.ts).
   */
  onStop(listener: (stop: Stop) => void): () => void {
    if (this.#stopped) {
      listener(this.#stopped);
      return () => {};
    }
    // Wrapped, so that the same function registered twice is two listeners.
    const entry = (stop: Stop): void => listener(stop);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Waits `ms`, or less when a limit strikes first (then {@link stopped} says which). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        unlisten();
        resolve();
      }, ms);
      const unlisten = this.onStop(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The configured timeout in ms (0 = none), for messages. */
  get timeout(): number {
    return this.#timeout;
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#listeners.clear();
  }

  readonly #onAbort = (): void => this.#stop({ type: 'abort', reason: this.#signal!.reason });

  #stop(stop: Stop): void {
    if (this.#stopped) return;
    this.#stopped = stop;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener(stop);
  }
}
