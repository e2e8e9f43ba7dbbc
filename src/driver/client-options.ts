/**
 * The options a CrateClient takes, as the caller writes them (config.ts validates and resolves them; connection-url.ts
 * parses a URL into them). Types only, so that both can use them without importing each other.
 */
import type { SecureVersion } from 'node:tls';
import type { HedgeOptions } from './hedge.js';
import type { TransportName } from './http-exchange.js';

export interface TlsOptions {
  /** Trusted CA certificate(s), PEM. Replaces the system store for this client (crate-python's `ca_cert`). */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate, PEM (crate-python's `cert_file`). */
  cert?: string | Buffer;
  /** Private key of the client certificate, PEM (crate-python's `key_file`). */
  key?: string | Buffer;
  /** Verify the server certificate. Default true; false corresponds to crate-python's `verify_ssl_cert=False`. */
  rejectUnauthorized?: boolean;
  /** Lowest TLS version accepted, e.g. 'TLSv1' where crate-python uses `ssl_relax_minimum_version=True`. */
  minVersion?: SecureVersion;
}

export interface CrateClientOptions {
  /** `http(s)://host:port[/path]`, `crate://host:port`, or `host:port`; a list is used round-robin. */
  servers?: string | readonly string[];
  /** Default `crate`. When neither a user name, a password nor a token is given, no Authorization header is sent. */
  username?: string;
  password?: string;
  /** JWT sent as `Authorization: Bearer <token>`; cannot be combined with a password. */
  token?: string;
  /** Sent as `Default-Schema`; the schema unqualified table names resolve in. */
  schema?: string;
  /**
   * Milliseconds a call (`sql`, `bulk`, `serverInfo`) may take in all, retries included; it then fails with kind
   * `timeout`. Kept by the client's own timer, to within a few milliseconds. Default: none (a hung server is still
   * detected, see `probeAfter`).
   */
  timeout?: number;
  /** Milliseconds; overrides `timeout` for establishing connections. Default 10 000. */
  connectTimeout?: number;
  /** Connections per server (and schema). Default 10. */
  poolSize?: number;
  /** Reuse connections between requests. Default true. */
  keepAlive?: boolean;
  /** Milliseconds a failed server is avoided before it is tried again. Default 30 000. */
  retryInterval?: number;
  /** Milliseconds; retries of one request wait 0, f, 2f, 4f, ... (at most 120 s). Default 0. */
  backoffFactor?: number;
  /**
   * Milliseconds during which a statement safe to repeat is sent again after CrateDB's transient cluster errors (a
   * node left or is not ready: NodeNotConnectedException, ...), counted from the first such error. Default 10 000;
   * 0 turns these retries off.
   */
  retryTimeout?: number;
  /**
   * Milliseconds a request waits before its server is probed (`GET /` on a new connection), and between probes while
   * it keeps waiting. A server that does not answer a probe within `probeTimeout` is taken for hung: reads move to
   * another server, writes fail with `outcomeUnknown`. Default 1 000; 0 turns probing off.
   */
  probeAfter?: number;
  /** Milliseconds a probe waits for an answer. Default 2 000. */
  probeTimeout?: number;
  /**
   * Hedged reads: a read (SELECT, SHOW, VALUES, ... — what is retried as safe to repeat) that has not answered after
   * the hedge delay is sent to another healthy server too, and the first answer wins; the other copy is aborted.
   * Writes, COPY and a cursor's FETCH are never hedged. Default true; false turns hedging off (see `hedge`).
   */
  hedgedReads?: boolean;
  /** How reads are hedged: delay bounds, percentile, hedges per read and per second, an event hook. */
  hedge?: HedgeOptions;
  tls?: TlsOptions;
  /** Use https for servers given without a scheme (`host:port`, `crate://...`). */
  ssl?: boolean;
  /** Ask CrateDB for Java stack traces of errors (`errorTrace` on the thrown error). */
  errorTrace?: boolean;
  /** gzip request bodies: false = never, true = always, a number = bodies larger than that many bytes. */
  compression?: boolean | number;
  /** How integers beyond ±2^53 come back: exact `bigint` (default) or their decimal `string`. */
  bigint?: 'bigint' | 'string';
  /** Clock in milliseconds, for tests of server retry intervals. Default `Date.now`. */
  now?: () => number;
  /**
   * What carries the requests: undici's connection pools (Node) or the standard `fetch` (every runtime). Default
   * `auto`: undici where the Node entry point loaded it, fetch elsewhere (Bun, Deno, Workers, edge runtimes). On fetch,
   * the options that need control over connections are refused: `poolSize`, `keepAlive`, `connectTimeout`, `tls`,
   * and `schema` (see docs/runtimes.md).
   */
  transport?: 'auto' | TransportName;
}
