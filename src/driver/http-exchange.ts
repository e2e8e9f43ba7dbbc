/**
 * One HTTP exchange with one server, as every part of the driver sees it: the answer, the failure below HTTP, and
 * what such a failure means in words. A leaf module: it imports nothing of the driver, so the transports, the blob
 * client, the cursor and the failover engine can all use it without importing each other.
 *
 * This module must stay free of Node-only imports: it is part of every runtime's bundle.
 */

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
