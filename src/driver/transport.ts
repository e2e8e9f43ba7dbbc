/**
 * The undici transport: HTTP exchanges over undici connection pools (Node only; see transport-api.ts for the seam).
 *
 * Pools are keyed by (server origin, user, default schema): CrateDB binds a session, including its default schema, to
 * the TCP connection on its first request and ignores `Default-Schema` on later ones, so a socket must never carry
 * requests of two schemas.
 *
 * Requests go through `dispatch` with a handler of our own instead of `request()`: it skips the Readable stream a
 * response body would otherwise become, and `onRequestStart` tells exactly when undici hands the request to a
 * connected socket. A failure before that point provably never reached a server, whatever its error code.
 */
import { StringDecoder } from 'node:string_decoder';
import { gzip, gzipSync } from 'node:zlib';
import { Client, Pool, type Dispatcher } from 'undici';
import { undiciBlobSender } from './blob-http.js';
import { BlobContainer, type BlobContext } from './blobs.js';
import type { ConnectionSecrets, ResolvedClientConfig } from './config.js';
import { TransportError, describeTransportError, type HttpResponse, type PendingExchange, type RequestSpec, type TransportFailureDescription } from './http-exchange.js';
import type { PinnedConnection, Route, Transport } from './transport-api.js';

export { TransportError, describeTransportError, endpointOf, type Endpoint, type HttpResponse, type PendingExchange, type RequestSpec } from './http-exchange.js';

/** How long a cursor's connection may sit idle between two FETCHes before undici closes it (a day). */
const PINNED_IDLE_MS = 24 * 60 * 60 * 1000;

/** Connection pools of one client family (a client and its `withSchema()` siblings). */
export class PoolRegistry {
  readonly #pools = new Map<string, Pool>();
  readonly #poolOptions: Pool.Options;
  readonly #probes = new Set<Client>();
  readonly #pinned = new Set<Client>();
  #closed = false;

  constructor(config: ResolvedClientConfig, secrets: ConnectionSecrets) {
    const { ca, cert, key } = secrets.tlsMaterial();
    const connect: NonNullable<Pool.Options['connect']> = {
      timeout: config.connectTimeout,
      keepAlive: true,
      rejectUnauthorized: config.tls.rejectUnauthorized,
      ...(config.tls.minVersion && { minVersion: config.tls.minVersion }),
      ...(ca !== undefined && { ca: ca as string | Buffer | (string | Buffer)[] }),
      ...(cert !== undefined && { cert }),
      ...(key !== undefined && { key }),
    };
    this.#poolOptions = {
      connections: config.poolSize,
      // pipelining 0 makes undici send `Connection: close`: one connection per request when keep-alive is off.
      pipelining: config.keepAlive ? 1 : 0,
      // CrateDB speaks HTTP/1.1; an HTTP/2 connection would multiplex requests onto one session.
      allowH2: false,
      connect,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  poolFor(origin: string, username: string, schema: string | undefined): Pool {
    const key = `${origin}\n${username}\n${schema ?? ''}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(origin, this.#poolOptions);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /**
   * One connection of its own for a cursor (see cursor.ts): CrateDB keeps a cursor in the session of the TCP
   * connection that declared it, so every statement of the cursor must go over this one socket. It is never shared
   * with a pool, so no other request (nor another user or schema) can reach the cursor's session. Idle time between
   * FETCHes is the caller's loop body: undici must not close the socket after its default 4 s of keep-alive.
   */
  pinned(origin: string): Client {
    const client = new Client(origin, {
      connect: this.#poolOptions.connect,
      pipelining: 1,
      allowH2: false,
      keepAliveTimeout: PINNED_IDLE_MS,
      keepAliveMaxTimeout: PINNED_IDLE_MS,
    });
    this.#pinned.add(client);
    const release = (): void => void this.#pinned.delete(client);
    client.once('disconnect', release);
    client.once('connectionError', release);
    return client;
  }

  /**
   * `GET <path>` on a connection of its own, never one of the pool's (they may all be busy with the very requests
   * whose server is in question). Resolves as soon as response headers arrive, whatever the status: any answer shows
   * the server is alive. Rejects when none comes within `timeout` ms. No credentials are sent.
   */
  probe(origin: string, path: string, timeout: number): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the client is closed'));
    // pipelining 0: `Connection: close`, so a probe leaves no idle socket behind.
    const client = new Client(origin, { connect: this.#poolOptions.connect, pipelining: 0, allowH2: false });
    this.#probes.add(client);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#probes.delete(client);
        client.destroy().catch(() => {});
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => finish(new Error(`no answer to GET / within ${timeout} ms`)), timeout);
      client.dispatch(
        { method: 'GET', path, headers: { accept: 'application/json' }, headersTimeout: 0, bodyTimeout: 0 },
        {
          onRequestStart: () => {},
          onResponseStart: () => finish(),
          onResponseData: () => {},
          onResponseEnd: () => finish(),
          onResponseError: (_controller, error) => finish(new TransportError(error, true)),
        },
      );
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    for (const probe of this.#probes) probe.destroy().catch(() => {});
    this.#probes.clear();
    // A cursor still open when its client closes: its connection goes, and the cursor with it on the server.
    for (const pinned of this.#pinned) pinned.destroy().catch(() => {});
    this.#pinned.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/**
 * Sends one request and buffers the whole response body. The response rejects with a {@link TransportError} for
 * failures below HTTP and after {@link PendingExchange.abort}.
 */
export function exchange(dispatcher: Dispatcher, spec: RequestSpec): PendingExchange {
  let controller: Dispatcher.DispatchController | undefined;
  let requestSent = false;
  let settled = false;
  let abortReason: Error | undefined;
  let status = 0;
  let contentType: string | undefined;
  // Decoding chunk by chunk builds the text without first copying the chunks into one buffer; the decoder keeps
  // UTF-8 sequences split across chunk boundaries intact.
  const decoder = new StringDecoder('utf8');
  let body = '';
  let resolve!: (response: HttpResponse) => void;
  let reject!: (error: TransportError) => void;
  const response = new Promise<HttpResponse>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(requestController) {
      controller = requestController;
      // Aborted while queued in the pool: stop before a byte is written.
      if (abortReason) requestController.abort(abortReason);
      else requestSent = true;
    },
    onResponseStart(_controller, statusCode, headers) {
      status = statusCode;
      const type = headers['content-type'];
      contentType = Array.isArray(type) ? type[0] : type;
    },
    onResponseData(_controller, chunk) {
      body += decoder.write(chunk);
    },
    onResponseEnd() {
      if (settled) return;
      settled = true;
      resolve({ status, contentType, body: body + decoder.end() });
    },
    onResponseError(_controller, error) {
      if (settled) return;
      settled = true;
      reject(new TransportError(error, requestSent));
    },
  };
  dispatcher.dispatch(
    {
      method: spec.method,
      path: spec.path,
      headers: spec.headers,
      body: spec.body ?? null,
      // undici's own timers are coarse (a 10 ms timeout fired after ~1 s): the client keeps time itself.
      headersTimeout: 0,
      bodyTimeout: 0,
    },
    handler,
  );
  return {
    response,
    get requestSent() {
      return requestSent;
    },
    abort(reason) {
      if (settled) return;
      settled = true;
      abortReason = reason;
      controller?.abort(reason);
      reject(new TransportError(reason, requestSent, true));
    },
  };
}

/**
 * Below this size gzip takes ~0.3 ms at most (measured: 0.04 ms for 6 KB, 0.13 ms for 66 KB), less than the round trip
 * through libuv's thread pool (~0.3 ms on loopback), so such bodies are compressed inline. Larger ones (1.8-2.2 ms for
 * 700 KB) are compressed on the thread pool so that they do not block the event loop.
 */
const INLINE_GZIP_LIMIT = 256 * 1024;

/**
 * gzip level 1: it shrinks SQL bodies (repetitive JSON) ~5x (measured 4.3x at 6 KB, 5.0x at 66 KB and 700 KB); level
 * 6 gains 5-8 % more at 3-4x the CPU time.
 */
const GZIP_OPTIONS = { level: 1 };

export function compressBody(body: string): Uint8Array | Promise<Uint8Array> {
  if (body.length <= INLINE_GZIP_LIMIT) return gzipSync(body, GZIP_OPTIONS);
  return new Promise((resolve, reject) => gzip(body, GZIP_OPTIONS, (error, result) => (error ? reject(error) : resolve(result))));
}

/** The {@link Transport} over undici's pools: exact knowledge of whether a request reached a socket. */
export class UndiciTransport implements Transport {
  readonly name = 'undici';
  readonly pools: PoolRegistry;
  readonly #connectTimeout: number;

  constructor(config: ResolvedClientConfig, secrets: ConnectionSecrets) {
    this.pools = new PoolRegistry(config, secrets);
    this.#connectTimeout = config.connectTimeout;
  }

  get closed(): boolean {
    return this.pools.closed;
  }

  exchange(route: Route, spec: RequestSpec): PendingExchange {
    return exchange(this.pools.poolFor(route.origin, route.username, route.schema), spec);
  }

  probe(origin: string, path: string, timeout: number): Promise<void> {
    return this.pools.probe(origin, path, timeout);
  }

  gzip(body: string): Uint8Array | Promise<Uint8Array> {
    return compressBody(body);
  }

  describe(error: TransportError): TransportFailureDescription {
    return describeTransportError(error, this.#connectTimeout);
  }

  openBlobs(table: string, route: Omit<Route, 'origin'>, context: Omit<BlobContext, 'send'>): BlobContainer {
    return new BlobContainer(table, { ...context, send: undiciBlobSender((origin) => this.pools.poolFor(origin, route.username, route.schema)) });
  }

  pin(origin: string): PinnedConnection {
    const client = this.pools.pinned(origin);
    let lost: string | undefined;
    // After a disconnect undici would open a new socket for the next request: a new session without the cursor.
    client.once('disconnect', (_origin, _targets, error) => (lost ??= error?.message ?? 'the connection closed'));
    return {
      exchange: (spec) => exchange(client, spec),
      get lost() {
        return lost;
      },
      destroy() {
        lost ??= 'closed';
        client.destroy().catch(() => {});
      },
    };
  }

  close(): Promise<void> {
    return this.pools.close();
  }
}
