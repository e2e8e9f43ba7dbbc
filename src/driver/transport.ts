/**
 * HTTP exchange with one server over undici connection pools.
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
import { Pool, type Dispatcher } from 'undici';
import type { ConnectionSecrets, ResolvedClientConfig } from './config.js';

export interface HttpResponse {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** A failure below HTTP (connect, TLS, socket, timeout) while exchanging one request with one server. */
export class TransportError extends Error {
  override name = 'TransportError';
  /** Whether the request had been handed to a connected socket, so the server may have received it. */
  readonly requestSent: boolean;
  readonly code: string | undefined;

  constructor(cause: Error, requestSent: boolean) {
    super(cause.message, { cause });
    this.requestSent = requestSent;
    this.code = (cause as { code?: unknown }).code === undefined ? undefined : String((cause as { code?: unknown }).code);
  }
}

/** A configured server split into what undici needs: the origin for the pool, the path prefix for requests. */
export interface Endpoint {
  readonly origin: string;
  readonly basePath: string;
}

export function endpointOf(server: string): Endpoint {
  const url = new URL(server);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Buffer;
  /** Response timeout in ms (0 = none): time to the response headers and between body chunks. */
  timeout: number;
  signal?: AbortSignal | undefined;
}

/** Connection pools of one client family (a client and its `withSchema()` siblings). */
export class PoolRegistry {
  readonly #pools = new Map<string, Pool>();
  readonly #poolOptions: Pool.Options;
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

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/**
 * Sends one request and buffers the whole response body. Rejects with a {@link TransportError} for failures below
 * HTTP, or with the signal's reason when the caller aborts.
 */
export function exchange(dispatcher: Dispatcher, spec: RequestSpec): Promise<HttpResponse> {
  const { signal } = spec;
  return new Promise<HttpResponse>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let requestSent = false;
    let settled = false;
    let status = 0;
    let contentType: string | undefined;
    // Decoding chunk by chunk builds the text without first copying the chunks into one buffer; the decoder keeps
    // UTF-8 sequences split across chunk boundaries intact.
    const decoder = new StringDecoder('utf8');
    let body = '';

    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!settle()) return;
      // If the request is still queued, onRequestStart aborts it before anything is written.
      controller?.abort(signal!.reason as Error);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        if (settled) requestController.abort(signal?.reason as Error);
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
        if (!settle()) return;
        resolve({ status, contentType, body: body + decoder.end() });
      },
      onResponseError(_controller, error) {
        if (settle()) reject(new TransportError(error, requestSent));
      },
    };
    dispatcher.dispatch(
      {
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        body: spec.body ?? null,
        headersTimeout: spec.timeout,
        bodyTimeout: spec.timeout,
      },
      handler,
    );
  });
}

export interface TransportFailureDescription {
  kind: 'connection' | 'timeout';
  responseTimeout: boolean;
  /** Human-readable, without credentials, e.g. `connection refused (ECONNREFUSED)`. */
  description: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_)|CERT|SELF_SIGNED|UNABLE_TO_/;

export function describeTransportError(error: TransportError, timeouts: { connectTimeout: number; timeout: number }): TransportFailureDescription {
  const code = error.code;
  const suffix = code === undefined ? '' : ` (${code})`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', responseTimeout: false, description: `no connection within the connect timeout of ${timeouts.connectTimeout} ms${suffix}` };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'timeout', responseTimeout: true, description: `no response within the timeout of ${timeouts.timeout} ms${suffix}` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'connection', responseTimeout: false, description: `connection refused${suffix}` };
  if (code !== undefined && DNS_CODES.has(code)) {
    return { kind: 'connection', responseTimeout: false, description: `host name could not be resolved${suffix}` };
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return { kind: 'connection', responseTimeout: false, description: `TLS failure: ${error.message}${suffix}` };
  }
  const stage = error.requestSent ? 'connection lost after the request was sent' : 'connection failed';
  return { kind: 'connection', responseTimeout: false, description: `${stage}: ${error.message}${suffix}` };
}
