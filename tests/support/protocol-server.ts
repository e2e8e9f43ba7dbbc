/**
 * An in-process HTTP(S) server speaking CrateDB's `/_sql` protocol (a JSON body with `stmt` and
 * `args` or `bulk_args`; answered with `cols`, `col_types`, `rows`, `rowcount` and `duration`, `results` for bulk
 * arguments, or `error: { code, message }` with an HTTP error status), for tests of anything that talks to CrateDB
 * over HTTP.
 *
 *   const server = await startProtocolServer();                    // port 0, default answers like a fresh CrateDB
 *   server.enqueue(replies.rows(['n'], [9], [[1]]));               // next request gets this answer
 *   server.handle((req) => req.stmt?.startsWith('INSERT') ? replies.error(4091, '...') : replies.rowCount(1));
 *   server.requests[0].json                                         // what the client sent (gunzipped, parsed)
 *   await server.close();
 *
 * Scripted replies (FIFO) take precedence over the handler. Replies can be delayed, cut off by a connection reset
 * before or in the middle of the response, or never sent (hang). `pause()` makes the whole server behave like a hung
 * process (SIGSTOP): connections are still accepted (by the kernel, for a real one) and requests received, but none
 * is answered, `GET /` included, until `resume()`.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';
import { gunzipSync } from 'node:zlib';

export class RecordedRequest {
  readonly method: string;
  /** The raw request target, e.g. `/_sql?types&error_trace=true`. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body as received (gzip-compressed when the client compressed it). */
  readonly rawBody: Buffer;
  /** The body as text, decompressed. */
  readonly body: string;
  /** The client's port: one per TCP connection, so equal ports mean a shared socket. */
  readonly remotePort: number;
  /** Sequence number of the TCP connection on this server. */
  readonly connectionId: number;
  /** CN of the client certificate, when the client presented one over TLS. */
  readonly clientCertificate: string | undefined;
  #json: unknown;
  #parsed = false;

  constructor(request: IncomingMessage, rawBody: Buffer, connectionId: number) {
    const target = new URL(request.url ?? '/', 'http://server');
    this.method = request.method ?? 'GET';
    this.url = request.url ?? '/';
    this.path = target.pathname;
    this.query = target.searchParams;
    this.headers = request.headers;
    this.rawBody = rawBody;
    this.body = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody).toString('utf8');
    this.remotePort = request.socket.remotePort ?? 0;
    this.connectionId = connectionId;
    const peer = 'getPeerCertificate' in request.socket ? (request.socket as TLSSocket).getPeerCertificate() : undefined;
    const commonName = peer?.subject?.CN;
    this.clientCertificate = Array.isArray(commonName) ? commonName[0] : commonName;
  }

  /** The parsed JSON body (undefined when there is none or it is not JSON); parsed on first access. */
  get json(): { stmt?: string; args?: unknown[]; bulk_args?: unknown[][] } | undefined {
    if (!this.#parsed) {
      this.#parsed = true;
      try {
        this.#json = this.body === '' ? undefined : JSON.parse(this.body);
      } catch {
        this.#json = undefined;
      }
    }
    return this.#json as { stmt?: string; args?: unknown[]; bulk_args?: unknown[][] } | undefined;
  }

  get stmt(): string | undefined {
    return this.json?.stmt;
  }
}

export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string>; delayMs?: number }
  | { status?: number; text: string | Buffer; contentType?: string; headers?: Record<string, string>; delayMs?: number }
  /** Resets the TCP connection: before any response byte, or after the headers and part of the body. */
  | { reset: 'before-response' | 'mid-response'; delayMs?: number }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { hang: true };

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

/** HTTP status CrateDB uses for an error code (HttpErrorStatus: the code's leading three digits). */
function statusForCode(code: number): number {
  return Number(String(code).slice(0, 3));
}

export const replies = {
  /** A result set as `POST /_sql?types` returns it. */
  rows(cols: string[], colTypes: unknown[], rows: unknown[][], extra: { rowcount?: number; duration?: number } = {}): Reply {
    return { json: { cols, col_types: colTypes, rows, rowcount: extra.rowcount ?? rows.length, duration: extra.duration ?? 0.5 } };
  },
  /** A DML/DDL answer without a result set. */
  rowCount(rowcount: number): Reply {
    return { json: { cols: [], col_types: [], rows: [[]], rowcount, duration: 0.5 } };
  },
  bulk(results: { rowcount: number; error?: { code: number; message: string } }[]): Reply {
    return { json: { cols: [], duration: 0.7, results } };
  },
  /** CrateDB's JSON error shape; the status follows the code unless given. */
  error(code: number, message: string, options: { status?: number; trace?: string } = {}): Reply {
    return {
      status: options.status ?? statusForCode(code),
      json: { error: { message, code }, ...(options.trace !== undefined && { error_trace: options.trace }) },
    };
  },
  /** Authentication failure: CrateDB answers 401 with a plain-text body. */
  unauthorized(text = 'trust authentication failed for user "crate"'): Reply {
    return { status: 401, text, contentType: 'text/plain; charset=UTF-8' };
  },
  /** 503 as CrateDB sends it (JSON, code 5030), or 502/504 as a proxy in front of it would (plain text). */
  unavailable(status: 502 | 503 | 504 = 503): Reply {
    return status === 503
      ? replies.error(5030, 'ClusterBlockException[blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];]')
      : { status, text: status === 502 ? 'Bad Gateway' : 'Gateway Timeout', contentType: 'text/plain' };
  },
  /** A 200 whose body is cut-off JSON. */
  malformed(text = '{"cols":["a"],"col_types":[4],"rows":[["x"'): Reply {
    return { text, contentType: 'application/json' };
  },
  reset(when: 'before-response' | 'mid-response' = 'mid-response'): Reply {
    return { reset: when };
  },
  hang(): Reply {
    return { hang: true };
  },
  delay(delayMs: number, reply: Reply): Reply {
    return { ...reply, delayMs } as Reply;
  },
  /** The answer to `GET /` with `Accept: application/json`. */
  mainInfo(nodeName = 'node-1', version = '6.4.3'): Reply {
    return {
      json: {
        ok: true,
        status: 200,
        name: nodeName,
        cluster_name: 'crate',
        version: { number: version, build_hash: 'abc123', build_timestamp: '2025-01-01T00:00:00Z', build_snapshot: false, lucene_version: '9.12.0' },
      },
    };
  },
};

/** Answers like a CrateDB with no tables: server info on `GET /`, one affected row per statement or bulk item. */
export const defaultHandler: Handler = (request) => {
  if (request.method === 'GET' && request.path === '/') return replies.mainInfo();
  const bulkArgs = request.json?.bulk_args;
  if (Array.isArray(bulkArgs)) return replies.bulk(bulkArgs.map(() => ({ rowcount: 1 })));
  return replies.rowCount(1);
};

export interface ProtocolServerOptions {
  /** Serve HTTPS with this certificate; `ca` + `requestCert` ask clients for a certificate (without requiring it). */
  tls?: { key: string; cert: string; ca?: string; requestCert?: boolean; maxVersion?: SecureVersion };
  handler?: Handler;
  host?: string;
  /** Keep requests in `requests` (default true). Benchmarks turn it off. */
  record?: boolean;
}

export interface ProtocolServer {
  /** Base URL, e.g. `http://127.0.0.1:43817`. */
  readonly url: string;
  readonly port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests whose connection the client closed before they were answered (an aborted request), in that order. */
  readonly abandoned: RecordedRequest[];
  /** Number of TCP (or TLS) connections accepted so far. */
  readonly connectionCount: number;
  /** Replaces the handler used when no scripted reply is queued. */
  handle(handler: Handler): void;
  /** Queues replies for the next requests, in order. */
  enqueue(...replies: Reply[]): void;
  /** Statements received (`POST /_sql` bodies' `stmt`), in order: how often something was executed. */
  statements(): string[];
  /** Holds every request, received from now on, unanswered: a hung server. */
  pause(): void;
  /** Answers the held requests and serves normally again. */
  resume(): void;
  close(): Promise<void>;
}

export async function startProtocolServer(options: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const requests: RecordedRequest[] = [];
  const abandoned: RecordedRequest[] = [];
  let closing = false;
  // Responses the server itself cut off (a scripted reset): not abandoned by the client.
  const cutByServer = new WeakSet<ServerResponse>();
  const scripted: Reply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const connectionIds = new WeakMap<Socket, number>();
  let handler = options.handler ?? defaultHandler;
  let connectionCount = 0;
  const record = options.record ?? true;
  let held: (() => void)[] | undefined;

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = new RecordedRequest(request, Buffer.concat(chunks), connectionIds.get(request.socket) ?? 0);
      if (record) requests.push(recorded);
      response.once('close', () => {
        if (!response.writableFinished && !closing && record && !cutByServer.has(response)) abandoned.push(recorded);
      });
      const answer = (): void => {
        const reply = scripted.shift();
        Promise.resolve(reply ?? handler(recorded)).then(
          (ready) => schedule(ready, request, response),
          (error: unknown) => send({ status: 500, text: `test handler failed: ${String(error)}` }, request, response),
        );
      };
      if (held) held.push(answer);
      else answer();
    });
  };

  const schedule = (reply: Reply, request: IncomingMessage, response: ServerResponse): void => {
    if ('hang' in reply) return;
    if (reply.delayMs === undefined || reply.delayMs <= 0) {
      send(reply, request, response);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(reply, request, response);
    }, reply.delayMs);
    timers.add(timer);
  };

  const send = (reply: Exclude<Reply, { hang: true }>, request: IncomingMessage, response: ServerResponse): void => {
    if (request.socket.destroyed) return;
    if ('reset' in reply) {
      cutByServer.add(response);
      if (reply.reset === 'before-response') {
        request.socket.resetAndDestroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      response.write('{"cols":["n"],"col_types":[9],"rows":[[1],[2', () => request.socket.resetAndDestroy());
      return;
    }
    const body = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
    const contentType = 'json' in reply ? 'application/json; charset=UTF-8' : (reply.contentType ?? 'text/plain');
    response.writeHead(reply.status ?? 200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...reply.headers });
    response.end(body);
  };

  const server: Server = options.tls
    ? createHttpsServer({ ...options.tls, rejectUnauthorized: false }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 30_000;
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    connectionIds.set(socket, ++connectionCount);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    requests,
    abandoned,
    get connectionCount() {
      return connectionCount;
    },
    handle(next) {
      handler = next;
    },
    enqueue(...next) {
      scripted.push(...next);
    },
    statements() {
      return requests.filter((request) => request.method === 'POST' && request.stmt !== undefined).map((request) => request.stmt!);
    },
    pause() {
      held ??= [];
    },
    resume() {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    async close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An address where nothing listens (connections are refused): a port briefly bound, then released. */
export async function refusedServerUrl(): Promise<string> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Answers `/_blobs/<table>/<digest>` as CrateDB 6.4.3 does (verified with curl): PUT 201 / 409 / 400 when the body's
 * SHA-1 is not the digest; GET and HEAD 200 / 404 with an empty body; DELETE 204 / 404; a table not in `store`
 * answers 404 with `Relation 'blob.<table>' unknown`. Other requests go to `fallback`.
 */
export function blobHandler(store: Map<string, Map<string, Buffer>>, fallback: Handler = defaultHandler): Handler {
  return async (request) => {
    const match = /^(?:.*)\/_blobs\/([^/]+)\/([^/]+)$/.exec(request.path);
    if (!match) return fallback(request);
    const table = decodeURIComponent(match[1]!);
    const digest = match[2]!;
    const blobs = store.get(table);
    if (!blobs) return { status: 404, text: `Relation 'blob.${table}' unknown` };
    const { createHash } = await import('node:crypto');
    switch (request.method) {
      case 'PUT':
        if (createHash('sha1').update(request.rawBody).digest('hex') !== digest) return { status: 400, text: '' };
        if (blobs.has(digest)) return { status: 409, text: '' };
        blobs.set(digest, request.rawBody);
        return { status: 201, text: '' };
      case 'GET':
      case 'HEAD': {
        const blob = blobs.get(digest);
        return blob ? { status: 200, text: blob, contentType: 'application/octet-stream' } : { status: 404, text: '' };
      }
      case 'DELETE':
        return blobs.delete(digest) ? { status: 204, text: '' } : { status: 404, text: '' };
      default:
        return { status: 405, text: '' };
    }
  };
}
