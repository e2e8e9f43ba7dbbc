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
import type { PendingExchange, RequestSpec, TransportError, TransportFailureDescription, TransportName } from './http-exchange.js';

export {
  TransportError,
  describeTransportError,
  endpointOf,
  neverConnected,
  type Endpoint,
  type HttpResponse,
  type PendingExchange,
  type RequestSpec,
  type TransportFailureDescription,
  type TransportName,
} from './http-exchange.js';

/** Who sends a request: connections must never mix users or default schemas (CrateDB binds both to the connection). */
export interface Route {
  readonly origin: string;
  readonly username: string;
  readonly schema: string | undefined;
}

/** One connection that carries a cursor's statements, and nothing else. */
export interface PinnedConnection {
  exchange(spec: RequestSpec): PendingExchange;
  /** Why the connection is gone, once it is: a new socket would be a new session, without the cursor. */
  readonly lost: string | undefined;
  destroy(): void;
}

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
  openBlobs?(table: string, route: Omit<Route, 'origin'>, context: Omit<BlobContext, 'send'>): BlobContainer;
  /**
   * A connection of its own to `origin`, for a cursor (CrateDB binds a cursor to the connection that declared it);
   * absent where the transport cannot pin one (fetch).
   */
  pin?(origin: string): PinnedConnection;
  /** Closes the connections after in-flight requests finish; later exchanges are refused. */
  close(): Promise<void>;
}

export type TransportFactory = (config: ResolvedClientConfig, secrets: ConnectionSecrets) => Transport;

let undiciFactory: TransportFactory | undefined;

/** Called by register-undici.ts, which only Node's entry points import: elsewhere undici is never loaded. */
export function registerUndiciTransport(factory: TransportFactory): void {
  undiciFactory = factory;
}

/** The undici transport, when this runtime's entry point registered it. */
export function registeredUndiciTransport(): TransportFactory | undefined {
  return undiciFactory;
}
