/**
 * Which server a request goes to: round-robin over the servers currently considered healthy, keeping failed ones
 * aside for `retryInterval` (crate-python's `_get_server`/`_drop_server` policy). One instance is shared by a client
 * and its `withSchema()` siblings, so a server found dead by one is avoided by all.
 */

interface InactiveServer {
  since: number;
  reason: string;
}

export class ServerHealth {
  readonly #servers: readonly string[];
  readonly #retryInterval: number;
  readonly #now: () => number;
  readonly #inactive = new Map<string, InactiveServer>();
  /** Servers put back in rotation after their retry interval that have not answered since. */
  readonly #revived = new Set<string>();
  #cursor = 0;

  constructor(servers: readonly string[], retryInterval: number, now: () => number) {
    this.#servers = servers;
    this.#retryInterval = retryInterval;
    this.#now = now;
  }

  /**
   * The next server to try for a request that has already tried `tried`: the next active one in round-robin order;
   * when none is left, the one inactive the longest (a cluster that seems entirely down is still given a chance,
   * oldest failure first). Undefined when every server has been tried.
   */
  next(tried: readonly string[]): string | undefined {
    if (this.#inactive.size > 0) this.#reviveServers();
    const servers = this.#servers;
    for (let offset = 0; offset < servers.length; offset++) {
      const index = (this.#cursor + offset) % servers.length;
      const server = servers[index]!;
      if (!this.#inactive.has(server) && !tried.includes(server)) {
        this.#cursor = (index + 1) % servers.length;
        return server;
      }
    }
    let longestInactive: string | undefined;
    let since = Infinity;
    for (const [server, state] of this.#inactive) {
      if (state.since < since && !tried.includes(server)) {
        longestInactive = server;
        since = state.since;
      }
    }
    return longestInactive;
  }

  /**
   * The next active server not in `avoid`, in round-robin order; undefined when there is none. Unlike {@link next},
   * never a server set aside: a hedge (hedge.ts) is worth sending only to a server believed healthy.
   */
  nextActive(avoid: readonly string[]): string | undefined {
    if (this.#inactive.size > 0) this.#reviveServers();
    const servers = this.#servers;
    for (let offset = 0; offset < servers.length; offset++) {
      const index = (this.#cursor + offset) % servers.length;
      const server = servers[index]!;
      if (!this.#inactive.has(server) && !avoid.includes(server)) {
        this.#cursor = (index + 1) % servers.length;
        return server;
      }
    }
    return undefined;
  }

  /** How many servers the client was given, active or not. */
  get size(): number {
    return this.#servers.length;
  }

  /** Whether a server is set aside now. */
  anyInactive(): boolean {
    if (this.#inactive.size > 0) this.#reviveServers();
    return this.#inactive.size > 0;
  }

  /** Sets the server aside; a repeated failure restarts its retry interval. */
  markInactive(server: string, reason: string): void {
    this.#inactive.delete(server);
    this.#revived.delete(server);
    this.#inactive.set(server, { since: this.#now(), reason });
  }

  /** Returns whether the server had been set aside (and not answered since): it is back. */
  markActive(server: string): boolean {
    const wasInactive = this.#inactive.delete(server);
    const wasRevived = this.#revived.size > 0 && this.#revived.delete(server);
    return wasInactive || wasRevived;
  }

  /** Servers currently set aside, with when (by the client's clock) and why. */
  inactiveServers(): { server: string; since: number; reason: string }[] {
    return [...this.#inactive].map(([server, state]) => ({ server, ...state }));
  }

  #reviveServers(): void {
    const now = this.#now();
    for (const [server, state] of this.#inactive) {
      if (now - state.since >= this.#retryInterval) {
        this.#inactive.delete(server);
        this.#revived.add(server);
      }
    }
  }
}
