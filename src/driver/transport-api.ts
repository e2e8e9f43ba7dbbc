/**
 * The seam between CrateClient and the HTTP stack under it. CrateClient owns everything CrateDB-specific (round-robin,
 * failover, retries, deadlines, hang detection, decoding); a transport only moves one request to one server and back,
 * probes a server, compresses bodies and closes its connections. Two implementations: undici's pools
 * (transport.ts, Node only) and the standard `fetch` (transport-fetch.ts, every runtime).
 *
 * This module must stay free of Node-only imports: it is part of every runtime's bundle.
 */
import type { BlobContainer, BlobContext } from './blobs.js';
import type { ConnectionSecrets, ResolvedClientConfig } from './config.js';
import type { CursorBatch, CursorHost, CursorOptions } from './cursor.js';

export interface HttpResponse {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** A failure below HTTP (connect, TLS, socket) while exchanging one request with one server, or an abort. */
export class TransportError extends Error {
  override name = 'TransportError';
  /** Whether the server may have received the request (false only when that is proven impossible). */
  readonly requestSent: boolean;
  readonly code: string | undefined;
  /** The exchange was stopped by {@link PendingExchange.abort}; `cause` is the reason given. */
  readonly aborted: boolean;

  constructor(cause: Error, requestSent: boolean, aborted = false) {
    super(cause.message, { cause });
    this.requestSent = requestSent;
    this.aborted = aborted;
    this.code = (cause as { code?: unknown }).code === undefined ? undefined : String((cause as { code?: unknown }).code);
  }
}

/** A configured server split into its origin and the path prefix of its requests. */
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
  /** Path and query, base path included. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
}

/** Who sends a request: connections must never mix users or default schemas (CrateDB binds both to the connection). */
export interface Route {
  readonly origin: string;
  readonly username: string;
  readonly schema: string | undefined;
}

/**
 * One request on its way. Timeouts are not the transport's business: the client aborts an exchange when its own
 * (precise) deadline passes or when the server stops answering probes, whichever transport carries the request.
 */
export interface PendingExchange {
  /** The whole response; rejects with a {@link TransportError} (also after {@link abort}). */
  readonly response: Promise<HttpResponse>;
  /** Whether the server may have received the request. */
  readonly requestSent: boolean;
  /** Stops the exchange; `response` then rejects at once with a TransportError whose `cause` is `reason`. */
  abort(reason: Error): void;
}

export interface TransportFailureDescription {
  kind: 'connection' | 'timeout';
  /** Human-readable, without credentials, e.g. `connection refused (ECONNREFUSED)`. */
  description: string;
}

export type TransportName = 'undici' | 'fetch';

export interface Transport {
  readonly name: TransportName;
  readonly closed: boolean;
  /** Sends one request and buffers the whole response body as text. */
  exchange(route: Route, spec: RequestSpec): PendingExchange;
  /**
   * `GET <path>` without credentials, on a connection none of the client's requests waits on where the transport can
   * choose. Resolves as soon as any answer arrives (any status shows the server is alive); rejects when none comes
   * within `timeout` ms.
   */
  probe(origin: string, path: string, timeout: number): Promise<void>;
  /** gzip of a request body, or undefined where the runtime cannot compress (the body then goes as it is). */
  gzip(body: string): Uint8Array | Promise<Uint8Array> | undefined;
  describe(error: TransportError): TransportFailureDescription;
  /**
   * The blobs of a blob table, over this transport's connections; absent where blobs cannot be served (fetch: a blob
   * is streamed, hashed and spooled with Node's streams, crypto and file system).
   */
  openBlobs?(table: string, route: Omit<Route, 'origin'>, context: Omit<BlobContext, 'send' | 'isClosed'>): BlobContainer;
  /**
   * A cursor's batches over one connection pinned for its life (CrateDB binds a cursor to its connection); absent
   * where the transport cannot pin one (fetch). `target` gives a server's origin and `/_sql` path.
   */
  openCursor?(
    host: Omit<CursorHost, 'connect' | 'closed'>,
    target: (server: string) => { origin: string; sqlPath: string },
    stmt: string,
    args: readonly unknown[] | undefined,
    options: CursorOptions,
  ): AsyncIterable<CursorBatch>;
  /** Closes the connections after in-flight requests finish; later exchanges are refused. */
  close(): Promise<void>;
}

export type TransportFactory = (config: ResolvedClientConfig, secrets: ConnectionSecrets) => Transport;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_)|CERT|SELF_SIGNED|UNABLE_TO_/;

/**
 * The answer to an `http://` request was not HTTP. undici's parser says so with an `HTTPParserError` that has no code
 * (fetch wraps it in `TypeError: fetch failed`); CrateDB's PostgreSQL port answers with a wire-protocol message and its
 * transport port with the bare text "This is not an HTTP port", both of which end up here.
 */
const NOT_HTTP_HINT =
  "that port does not speak HTTP: is it CrateDB's PostgreSQL port (5432) or transport port (4300)? " +
  "drizzle-cratedb talks to CrateDB's HTTP endpoint, which is port 4200 by default";
/** OpenSSL's "wrong version number": the bytes that came back to the TLS hello were not TLS, as from a plain HTTP server. */
const PLAIN_HTTP_HINT =
  'the server did not answer in TLS, so it most likely speaks plain HTTP on that port: use http:// ' +
  '(or turn TLS on in CrateDB with ssl.http.enabled)';

function httpParserError(error: Error): Error | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.name === 'HTTPParserError' || /^HPE_/.test(String((current as { code?: unknown }).code ?? ''))) return current;
    current = current.cause;
  }
  return undefined;
}

export function describeTransportError(error: TransportError, connectTimeout: number): TransportFailureDescription {
  const code = error.code;
  const suffix = code === undefined ? '' : ` (${code})`;
  const notHttp = httpParserError(error);
  if (notHttp) return { kind: 'connection', description: `the answer is not HTTP (${notHttp.message})${suffix}; ${NOT_HTTP_HINT}` };
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    // OpenSSL's own text adds only its source file and line to the reason.
    return { kind: 'connection', description: `TLS failure: wrong version number${suffix}; ${PLAIN_HTTP_HINT}` };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout', description: `no connection within the connect timeout of ${connectTimeout} ms${suffix}` };
  }
  if (code === 'ECONNREFUSED' || code === 'ConnectionRefused') return { kind: 'connection', description: `connection refused${suffix}` };
  if (code !== undefined && DNS_CODES.has(code)) return { kind: 'connection', description: `host name could not be resolved${suffix}` };
  if (code !== undefined && TLS_CODE.test(code)) return { kind: 'connection', description: `TLS failure: ${oneLine(error.message)}${suffix}` };
  const stage = error.requestSent ? 'connection lost after the request was sent' : 'connection failed';
  return { kind: 'connection', description: `${stage}: ${error.message}${suffix}` };
}

/** OpenSSL's messages end in a line break and may span lines; an error message stays on one. */
function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** Codes (Node's, undici's, Bun's) of failures that happen before a connection exists: nothing can have been sent. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ConnectionRefused', 'UND_ERR_CONNECT_TIMEOUT', 'FailedToOpenSocket', ...DNS_CODES]);

export function neverConnected(code: string | undefined): boolean {
  return code !== undefined && (NEVER_CONNECTED.has(code) || TLS_CODE.test(code));
}

let undiciFactory: TransportFactory | undefined;

/** Called by register-undici.ts, which only Node's entry points import: elsewhere undici is never loaded. */
export function registerUndiciTransport(factory: TransportFactory): void {
  undiciFactory = factory;
}

/** The undici transport, when this runtime's entry point registered it. */
export function registeredUndiciTransport(): TransportFactory | undefined {
  return undiciFactory;
}
